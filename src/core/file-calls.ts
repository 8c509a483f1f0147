import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rm } from 'node:fs/promises'
import type { Db } from '../db/connection.js'
import { findAttachment, markAttachmentDelivered, markAttachmentRefused } from '../db/repos/attachments.js'
import { enqueueDelivery } from '../db/repos/deliveries.js'
import { insertMessage } from '../db/repos/messages.js'
import type { Attachment } from '../db/schema.js'
import { spool, safeName, type Spooled } from './file-spool.js'
import { fileRefusal, mimeTypeOf, type FileLimits } from './files.js'
import { DeskError, isDeskError } from './errors.js'
import type { Channel } from './model.js'
import type { AgentDesk, ChannelAdapter, FileDownload, FileToSend, OutboundFile, ThreadRef } from './ports.js'
import { encodeFact } from './ticket-facts.js'
import { redactSecrets } from './untrusted.js'

/** How files are handled: the limits they pass, and where their bytes are kept (if they are). */
export interface FilePolicy {
  readonly limits: FileLimits
  /** ATTACHMENT_DIR: bytes are kept there after delivery. Unset: a temporary file, deleted once delivered. */
  readonly keepDir?: string | undefined
  /** Where bytes wait between download and upload when they are not kept. */
  readonly tempDir?: string
  /** A channel's name as people read it, for refusals. */
  readonly labelOf?: (channel: Channel) => string
}

/** The least rate a transfer is given time for: 256 KB a second on top of the send timeout. */
const SLOWEST_BYTES_PER_S = 256 * 1024
/**
 * How many times a customer's file may run out of time before the thread is told it is not shown:
 * each try starts again from the first byte, so a download slower than the least rate never ends,
 * and the ticket's later messages wait behind it.
 */
export const SLOW_FILE_TRIES = 3

/** What a file call records once its row ends: the same shape as the outbox's bookkeeping. */
export type FileBookkeeping = (tx: Db, at: string) => Promise<void>

/**
 * The outbox's file work: a customer's file fetched from their platform into the ticket's thread,
 * an agent's file fetched from the desk to the customer. Bytes pass through a file on disk (never
 * whole in memory) whose size and SHA-256 are recorded; they are deleted after delivery unless
 * ATTACHMENT_DIR keeps them. What the limits refuse never moves a byte.
 */
export function createFileCalls(deps: {
  readonly db: Db
  readonly desk: AgentDesk
  readonly channels: ReadonlyMap<Channel, ChannelAdapter>
  readonly sendTimeoutMs: number
  readonly policy: FilePolicy | undefined
}) {
  const { db, desk, channels } = deps
  const policy: FilePolicy = deps.policy ?? {
    limits: { maxBytes: 25 * 1024 * 1024, types: ['image/*', 'video/*', 'audio/*', 'application/pdf'] },
  }
  const labelOf = policy.labelOf ?? ((c: Channel) => c)
  const dir = policy.keepDir ?? policy.tempDir ?? join(tmpdir(), 'threaddesk-files')

  /**
   * Runs one transfer, which counts as failed (and may be tried again) when it takes longer than the
   * send timeout plus the time its size needs at a slow rate; it is then aborted, not left running.
   */
  async function transfer<T>(
    what: string,
    bytes: number,
    call: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const limitMs = deps.sendTimeoutMs + Math.ceil((bytes / SLOWEST_BYTES_PER_S) * 1000)
    const controller = new AbortController()
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new DeskError('unavailable', `${what} did not finish within ${limitMs} ms`, {
          platformCode: 'timeout',
        })
        controller.abort(error)
        reject(error)
      }, limitMs)
    })
    try {
      return await Promise.race([call(controller.signal), timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  function factsOf(a: Attachment) {
    return {
      name: a.name,
      mimeType: a.mime_type ?? mimeTypeOf(a.name),
      ...(a.size !== null && { size: a.size }),
    }
  }

  /** Fetches a file into its place on disk, within the limits. */
  async function fetchInto(
    what: string,
    a: Attachment,
    fetch: (signal: AbortSignal) => Promise<FileDownload>,
  ): Promise<Spooled> {
    const name = `${a.id}-${safeName(a.name)}`
    return transfer(what, a.size ?? policy.limits.maxBytes, async (signal) =>
      spool(await fetch(signal), { dir, name, maxBytes: policy.limits.maxBytes }, signal),
    )
  }

  /** What a file is once its bytes are on disk, for whoever sends it. */
  function toSend(a: Attachment, spooled: Spooled): FileToSend {
    return {
      path: spooled.path,
      name: a.name,
      mimeType: a.mime_type ?? mimeTypeOf(a.name),
      size: spooled.size,
      kind: a.kind,
    }
  }

  /** The bytes are let go after delivery unless ATTACHMENT_DIR keeps them. */
  async function release(spooled: Spooled): Promise<void> {
    if (policy.keepDir === undefined) await rm(spooled.path, { force: true })
  }

  function delivered(a: Attachment, spooled: Spooled): FileBookkeeping {
    return async (tx, at) => {
      await markAttachmentDelivered(
        tx,
        a.id,
        {
          size: spooled.size,
          sha256: spooled.sha256,
          storedPath: policy.keepDir === undefined ? null : spooled.path,
        },
        at,
      )
    }
  }

  /** A customer's file the thread cannot show: recorded, and said in the thread by a line of its own. */
  function notShown(a: Attachment, reason: string): FileBookkeeping {
    const clean = redactSecrets(reason)
    return async (tx, at) => {
      await markAttachmentRefused(tx, a.id, clean)
      const line = await insertMessage(tx, {
        ticket_id: a.ticket_id,
        direction: 'system',
        kind: 'text',
        text: encodeFact({ kind: 'file_not_shown', name: a.name, reason: clean }),
        created_at: at,
      })
      await enqueueDelivery(tx, a.ticket_id, { type: 'desk.entry', messageId: line.id }, at)
    }
  }

  /**
   * A customer's file into the ticket's thread. A refusal that no retry can change (the limits, a
   * link that expired, a platform that cannot fetch) is said in the thread and ends the row; a
   * download cut off midway or an upload that fails is thrown, and the outbox tries again.
   */
  async function postFile(
    channel: Channel,
    thread: ThreadRef,
    attachmentId: number,
    /** How many times this row was tried and failed before. */
    triedBefore: number,
  ): Promise<FileBookkeeping | undefined> {
    const a = await findAttachment(db, attachmentId)
    if (a?.status !== 'pending') return undefined
    const refusal = fileRefusal(factsOf(a), policy.limits)
    if (refusal !== undefined) return notShown(a, refusal)
    const adapter = channels.get(channel)
    const fetchFile = adapter?.fetchFile?.bind(adapter)
    const upload = desk.uploadFile?.bind(desk)
    if (fetchFile === undefined || upload === undefined)
      return notShown(a, `files from ${labelOf(channel)} cannot be fetched`)
    let spooled: Spooled
    try {
      spooled = await fetchInto(`${labelOf(channel)} download`, a, (signal) => fetchFile(a.source, signal))
    } catch (error) {
      if (isDeskError(error) && !error.retryable) return notShown(a, error.message)
      if (isDeskError(error) && error.platformCode === 'timeout' && triedBefore + 1 >= SLOW_FILE_TRIES)
        return notShown(a, `${error.message}, ${SLOW_FILE_TRIES} times: ask the customer to send it again`)
      throw error
    }
    try {
      await transfer('Slack upload', spooled.size, (signal) => upload(thread, toSend(a, spooled), signal))
    } finally {
      await release(spooled)
    }
    return delivered(a, spooled)
  }

  /**
   * An agent's file to the customer, with its caption. Whatever stops it is thrown: a refusal (the
   * platform's limits, a file deleted from the desk) ends the reply's row and is said in the thread.
   */
  async function sendFile(
    adapter: ChannelAdapter,
    a: Attachment,
    msg: Omit<OutboundFile, 'file'>,
  ): Promise<{ externalMessageId: string; record: FileBookkeeping }> {
    const label = labelOf(msg.channel)
    const refusal = fileRefusal(factsOf(a), policy.limits, { label, traits: adapter.traits?.files })
    if (refusal !== undefined) throw new DeskError('rejected', refusal)
    const sendFile = adapter.sendFile?.bind(adapter)
    const fetchFile = desk.fetchFile?.bind(desk)
    if (sendFile === undefined || fetchFile === undefined)
      throw new DeskError('rejected', `${label} does not take files from the desk`)
    let spooled: Spooled
    try {
      spooled = await fetchInto('Slack download', a, (signal) => fetchFile(a.source, signal))
    } catch (error) {
      if (isDeskError(error) && error.code === 'not_found')
        throw new DeskError('rejected', `${a.name} could not be fetched from Slack: ${error.message}`, {
          cause: error,
        })
      throw error
    }
    try {
      const { externalMessageId } = await transfer(`${label} upload`, spooled.size, (signal) =>
        sendFile({ ...msg, file: toSend(a, spooled) }, signal),
      )
      return { externalMessageId, record: delivered(a, spooled) }
    } finally {
      await release(spooled)
    }
  }

  return { postFile, sendFile }
}
