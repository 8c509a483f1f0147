import { DeskError } from '../../src/core/errors.js'
import type { FileDownload, FileRef, FileTraits, FileToSend, OutboundFile } from '../../src/core/ports.js'
import { download } from '../shared/download.js'
import { streamMultipart } from '../shared/http-stream.js'
import { graphCall, type GraphAnswer, type GraphError } from '../meta/graph.js'
import { toDeskError, type GraphOptions } from './outbound.js'

const MB = 1024 * 1024

/** What the Cloud API takes: images 5 MB, video and audio 16 MB, documents 100 MB; captions of 1024. */
export const WHATSAPP_FILE_TRAITS: FileTraits = {
  maxBytes: { image: 5 * MB, video: 16 * MB, audio: 16 * MB, document: 100 * MB },
  captionLimit: 1024,
}

const EXTENSION: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'application/pdf': 'pdf',
}

type MediaField = 'image' | 'video' | 'audio' | 'document' | 'sticker'

/** The slice of a Cloud API message that says which media it carries. */
export interface CloudMedia {
  readonly id: string
  readonly type: string
  readonly image?: unknown
  readonly video?: unknown
  readonly audio?: unknown
  readonly document?: unknown
  readonly sticker?: unknown
}

/** The media a Cloud API message carries, as a FileRef: its media id, fetched later. */
export function filesOf(m: CloudMedia): FileRef[] {
  const field = (['image', 'video', 'audio', 'document', 'sticker'] as const).find((f) => f === m.type)
  if (field === undefined) return []
  const media = m[field] as
    { id?: unknown; mime_type?: unknown; filename?: unknown; voice?: unknown } | undefined
  if (typeof media?.id !== 'string') return []
  const mimeType = typeof media.mime_type === 'string' ? media.mime_type.split(';')[0]!.trim() : undefined
  const voice = field === 'audio' && media.voice === true
  const ext = (mimeType !== undefined ? EXTENSION[mimeType] : undefined) ?? 'bin'
  const name =
    typeof media.filename === 'string' && media.filename !== ''
      ? media.filename
      : `${voice ? 'voice' : field === 'image' ? 'photo' : field}-${m.id.slice(-8)}.${ext}`
  const kind = field === 'image' ? 'photo' : voice ? 'voice' : field
  return [{ kind, ref: media.id, name, ...(mimeType !== undefined && { mimeType }) }]
}

/** The Cloud API message type a file leaves as: what WhatsApp shows in place, else a document. */
export function mediaType(file: Pick<FileToSend, 'mimeType'>): Exclude<MediaField, 'sticker'> {
  const { mimeType } = file
  if (mimeType === 'image/jpeg' || mimeType === 'image/png') return 'image'
  if (mimeType === 'video/mp4' || mimeType === 'video/3gpp') return 'video'
  if (/^audio\/(aac|amr|mpeg|mp4|ogg)$/.test(mimeType)) return 'audio'
  return 'document'
}

function mediaError(answer: GraphAnswer<unknown>): DeskError {
  // 100/33: the media id is unknown (WhatsApp keeps a customer's media 30 days).
  if (answer.status === 404 || (answer.body.error?.code === 100 && answer.body.error.error_subcode === 33))
    return new DeskError('not_found', 'WhatsApp no longer has the file (its media id expired)')
  return toDeskError(answer)
}

/** A customer's media: its URL from the media id (valid a few minutes), then the bytes, both with the token. */
export async function fetchCloudFile(
  opts: GraphOptions,
  mediaId: string,
  signal: AbortSignal,
): Promise<FileDownload> {
  const answer = await graphCall<{ url?: string; mime_type?: string; file_size?: number }>(
    `${opts.graphUrl}/${opts.version}/${encodeURIComponent(mediaId)}`,
    opts.token,
    { method: 'GET' },
  )
  if (!answer.ok) throw mediaError(answer)
  if (answer.body.url === undefined) throw new DeskError('not_found', 'WhatsApp gave no URL for the file')
  return download(
    'WhatsApp media download',
    answer.body.url,
    { authorization: `Bearer ${opts.token}` },
    signal,
  )
}

/**
 * Sends a file: uploaded to `/{phone-number-id}/media` (streamed from disk), then sent as a message
 * of its type, with its caption where WhatsApp shows one (not on audio).
 */
export async function sendCloudFile(
  opts: GraphOptions,
  msg: OutboundFile,
  signal: AbortSignal,
): Promise<string> {
  const { file } = msg
  const type = mediaType(file)
  let uploaded: { status: number; headers: Record<string, string | string[] | undefined>; text: string }
  try {
    uploaded = await streamMultipart(
      `${opts.graphUrl}/${opts.version}/${opts.phoneNumberId}/media`,
      { authorization: `Bearer ${opts.token}` },
      { messaging_product: 'whatsapp', type: file.mimeType },
      { field: 'file', path: file.path, name: file.name, size: file.size, mimeType: file.mimeType },
      signal,
    )
  } catch (cause) {
    throw new DeskError('unavailable', 'the upload to WhatsApp was cut off', { cause })
  }
  let body: { id?: string; error?: GraphError } = {}
  try {
    body = JSON.parse(uploaded.text) as typeof body
  } catch {
    // An answer that is not JSON (a proxy's error page) is judged by its status alone.
  }
  const ok = uploaded.status >= 200 && uploaded.status < 300 && body.error === undefined
  if (!ok || body.id === undefined) {
    const retryAfter = uploaded.headers['retry-after']
    throw toDeskError({
      ok: false,
      status: uploaded.status,
      body,
      retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
    })
  }
  const media = {
    id: body.id,
    ...(msg.caption !== '' && type !== 'audio' && { caption: msg.caption }),
    ...(type === 'document' && { filename: file.name }),
  }
  if (type === 'audio' && msg.caption !== '') {
    // Audio shows no caption: the words go just before it, on their own.
    const said = await graphCall(
      `${opts.graphUrl}/${opts.version}/${opts.phoneNumberId}/messages`,
      opts.token,
      {
        method: 'POST',
        body: {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: msg.to,
          type: 'text',
          text: { preview_url: false, body: msg.caption },
        },
      },
    )
    if (!said.ok) throw toDeskError(said)
  }
  const answer = await graphCall<{ messages?: { id?: string }[] }>(
    `${opts.graphUrl}/${opts.version}/${opts.phoneNumberId}/messages`,
    opts.token,
    {
      method: 'POST',
      body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: msg.to, type, [type]: media },
    },
  )
  if (!answer.ok) throw toDeskError(answer)
  return answer.body.messages?.[0]?.id ?? ''
}
