import { Routes, type REST } from 'discord.js'
import { DeskError } from '../../src/core/errors.js'
import type { FileDownload, FileRef, FileTraits, OutboundFile } from '../../src/core/ports.js'
import { download } from '../shared/download.js'
import { multipartBody } from '../shared/http-stream.js'
import { toDeskError } from './outbound.js'

const MB = 1024 * 1024

/** Bots may attach up to 10 MB to a message (without a server's boosts); content is the caption. */
export const DISCORD_FILE_TRAITS: FileTraits = {
  maxBytes: { image: 10 * MB, video: 10 * MB, audio: 10 * MB, document: 10 * MB },
  captionLimit: 2000,
}

/** The slice of a discord.js attachment that is read. */
export interface DiscordAttachment {
  readonly name: string
  readonly contentType?: string | null
  readonly url?: string
  readonly size?: number
  /** Set on voice messages. */
  readonly duration?: number | null
}

/** A message's attachments as FileRefs: fetched later from Discord's CDN, whose links expire. */
export function filesOf(m: { readonly attachments: ReadonlyMap<string, DiscordAttachment> }): FileRef[] {
  return [...m.attachments.values()].flatMap((a): FileRef[] => {
    if (typeof a.url !== 'string') return []
    const mimeType = a.contentType ?? undefined
    const kind = mimeType?.startsWith('image/')
      ? 'photo'
      : mimeType?.startsWith('video/')
        ? 'video'
        : mimeType?.startsWith('audio/')
          ? a.duration != null
            ? 'voice'
            : 'audio'
          : 'document'
    return [
      {
        kind,
        ref: a.url,
        name: a.name,
        ...(mimeType !== undefined && { mimeType }),
        ...(typeof a.size === 'number' && { size: a.size }),
      },
    ]
  })
}

/** A customer's attachment from the CDN (its signed link lasts about a day). */
export function fetchDiscordFile(url: string, signal: AbortSignal): Promise<FileDownload> {
  return download('Discord attachment download', url, {}, signal)
}

/**
 * Sends a file to a user's direct messages with its caption: a multipart message whose file is
 * streamed from disk through discord.js's REST client (its own `files` would read it whole).
 */
export async function sendDiscordFile(
  rest: REST,
  channelId: string,
  msg: OutboundFile,
  signal: AbortSignal,
): Promise<string> {
  const { file } = msg
  const payload = {
    ...(msg.caption !== '' && { content: msg.caption }),
    attachments: [{ id: 0, filename: file.name }],
  }
  const form = multipartBody(
    { payload_json: JSON.stringify(payload) },
    { field: 'files[0]', path: file.path, name: file.name, size: file.size, mimeType: file.mimeType },
  )
  try {
    const message = (await rest.post(Routes.channelMessages(channelId), {
      body: form.body,
      passThroughBody: true,
      headers: { 'Content-Type': form.contentType, 'Content-Length': String(form.length) },
      signal,
    })) as { id: string }
    return message.id
  } catch (error) {
    if (signal.aborted)
      throw new DeskError('unavailable', 'the upload to Discord was cut off', { cause: error })
    throw toDeskError('POST /channels/{id}/messages', error)
  }
}
