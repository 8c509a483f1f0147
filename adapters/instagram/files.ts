import { DeskError } from '../../src/core/errors.js'
import type { FileDownload, FileRef, FileTraits, OutboundFile } from '../../src/core/ports.js'
import { download } from '../shared/download.js'
import { streamMultipart } from '../shared/http-stream.js'
import type { GraphError } from '../meta/graph.js'

const MB = 1024 * 1024

/** Instagram takes images up to 8 MB, video, audio and files up to 25 MB; attachments carry no caption. */
export const INSTAGRAM_FILE_TRAITS: FileTraits = {
  maxBytes: { image: 8 * MB, video: 25 * MB, audio: 25 * MB, document: 25 * MB },
  captionLimit: 0,
}

/** The slice of an Instagram attachment that is read. */
export interface InstagramAttachment {
  readonly type: string
  readonly payload?: { readonly url?: string }
}

const AS_FILE: Readonly<Record<string, { kind: FileRef['kind']; ext: string; mimeType: string }>> = {
  image: { kind: 'photo', ext: 'jpg', mimeType: 'image/jpeg' },
  video: { kind: 'video', ext: 'mp4', mimeType: 'video/mp4' },
  audio: { kind: 'audio', ext: 'm4a', mimeType: 'audio/mp4' },
}

/** A message's media as FileRefs, fetched later from their (expiring) URLs. Shares and stories are links. */
export function filesOf(mid: string, attachments: readonly InstagramAttachment[] | undefined): FileRef[] {
  return (attachments ?? []).flatMap((a, i): FileRef[] => {
    const url = a.payload?.url
    if (typeof url !== 'string') return []
    const suffix = `${mid.slice(-8)}${i === 0 ? '' : `-${i}`}`
    const known = AS_FILE[a.type]
    if (known !== undefined)
      return [
        { kind: known.kind, ref: url, name: `${a.type}-${suffix}.${known.ext}`, mimeType: known.mimeType },
      ]
    if (a.type !== 'file') return []
    // A file keeps its own name, which the URL's path ends with.
    const name = lastPathPart(url) || `file-${suffix}`
    return [{ kind: 'document', ref: url, name }]
  })
}

function lastPathPart(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').at(-1) ?? '')
  } catch {
    return ''
  }
}

/** A customer's media, from the URL the webhook gave (it expires after a while). */
export function fetchInstagramFile(url: string, signal: AbortSignal): Promise<FileDownload> {
  return download('Instagram attachment download', url, {}, signal)
}

function attachmentType(mimeType: string): 'image' | 'video' | 'audio' | 'file' {
  if (/^image\/(jpeg|png|gif)$/.test(mimeType)) return 'image'
  if (/^video\/(mp4|ogg|x-msvideo|quicktime|webm)$/.test(mimeType)) return 'video'
  if (/^audio\/(aac|mp4|m4a|x-m4a|wav|x-wav)$/.test(mimeType)) return 'audio'
  return 'file'
}

/**
 * Sends a file in one call: the message with its attachment and the bytes (`filedata`) streamed
 * from disk. `tag` is what a reply needs at this point of the conversation (RESPONSE, or the
 * HUMAN_AGENT tag after 24 hours).
 */
export async function sendInstagramFile(
  graph: {
    readonly graphUrl: string
    readonly version: string
    readonly token: string
    readonly accountId: string
  },
  msg: OutboundFile,
  tag: Record<string, string>,
  signal: AbortSignal,
  toError: (answer: {
    ok: false
    status: number
    body: { error?: GraphError }
    retryAfter: string | null
  }) => DeskError,
): Promise<string> {
  const { file } = msg
  const message = { attachment: { type: attachmentType(file.mimeType), payload: { is_reusable: false } } }
  let answer: Awaited<ReturnType<typeof streamMultipart>>
  try {
    answer = await streamMultipart(
      `${graph.graphUrl}/${graph.version}/${graph.accountId}/messages`,
      { authorization: `Bearer ${graph.token}` },
      { recipient: JSON.stringify({ id: msg.to }), message: JSON.stringify(message), ...tag },
      { field: 'filedata', path: file.path, name: file.name, size: file.size, mimeType: file.mimeType },
      signal,
    )
  } catch (cause) {
    throw new DeskError('unavailable', 'the upload to Instagram was cut off', { cause })
  }
  let body: { message_id?: string; error?: GraphError } = {}
  try {
    body = JSON.parse(answer.text) as typeof body
  } catch {
    // An answer that is not JSON is judged by its status alone.
  }
  if (answer.status < 200 || answer.status >= 300 || body.error !== undefined) {
    const retryAfter = answer.headers['retry-after']
    throw toError({
      ok: false,
      status: answer.status,
      body,
      retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
    })
  }
  return body.message_id ?? ''
}
