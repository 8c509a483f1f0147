import { readFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { DeskError, describeError } from '../../src/core/errors.js'
import type { FileDownload, FileRef, FileTraits, FileToSend } from '../../src/core/ports.js'

const MB = 1024 * 1024

/**
 * WhatsApp Web hands media over as base64 in one piece, both ways: a file is in memory whole while
 * it passes, so this channel takes smaller files than the Cloud API (16 MB).
 */
export const WHATSAPP_WEB_FILE_TRAITS: FileTraits = {
  maxBytes: { image: 5 * MB, video: 16 * MB, audio: 16 * MB, document: 16 * MB },
  captionLimit: 1024,
}

/** whatsapp-web.js's MessageMedia: a type, the bytes in base64, a file name. */
export interface WebMedia {
  readonly mimetype: string
  readonly data: string
  readonly filename?: string | null
  readonly filesize?: number | null
}

/** The slice of a whatsapp-web.js message with media. */
export interface WebMediaMessage {
  readonly id: { readonly _serialized: string }
  readonly type: string
  readonly hasMedia?: boolean
  /** For documents: the file name the sender gave. */
  readonly filename?: string
  downloadMedia?(): Promise<WebMedia | undefined>
}

const MEDIA: Readonly<Record<string, { kind: FileRef['kind']; ext: string; mimeType: string }>> = {
  image: { kind: 'photo', ext: 'jpg', mimeType: 'image/jpeg' },
  video: { kind: 'video', ext: 'mp4', mimeType: 'video/mp4' },
  ptt: { kind: 'voice', ext: 'ogg', mimeType: 'audio/ogg' },
  audio: { kind: 'audio', ext: 'mp3', mimeType: 'audio/mpeg' },
  document: { kind: 'document', ext: 'bin', mimeType: 'application/octet-stream' },
  sticker: { kind: 'sticker', ext: 'webp', mimeType: 'image/webp' },
}

/** The media of a message as a FileRef: the message's own id, by which the media is fetched later. */
export function filesOf(m: WebMediaMessage): FileRef[] {
  const media = MEDIA[m.type]
  if (m.hasMedia !== true || media === undefined) return []
  const id = m.id._serialized
  const name =
    typeof m.filename === 'string' && m.filename !== ''
      ? m.filename
      : `${media.kind}-${id.slice(-8).replace(/[^\w]/g, '')}.${media.ext}`
  return [{ kind: media.kind, ref: id, name, ...(m.type !== 'document' && { mimeType: media.mimeType }) }]
}

/** A customer's media, found again by its message's id (it may be gone from the phone). */
export async function fetchWebFile(
  find: (id: string) => Promise<WebMediaMessage | undefined>,
  id: string,
): Promise<FileDownload> {
  let media: WebMedia | undefined
  try {
    media = await (await find(id))?.downloadMedia?.()
  } catch (cause) {
    throw new DeskError('unavailable', `WhatsApp Web could not download the media: ${describeError(cause)}`, {
      cause,
    })
  }
  if (media === undefined) throw new DeskError('not_found', 'WhatsApp Web no longer has the media')
  const bytes = Buffer.from(media.data, 'base64')
  return { body: Readable.from([bytes]), size: bytes.length, mimeType: media.mimetype }
}

/** A file as whatsapp-web.js sends it: a voice note as one, other media shown as what it is. */
export async function toWebMedia(
  file: FileToSend,
): Promise<{ media: WebMedia; voice: boolean; asDocument: boolean }> {
  const data = (await readFile(file.path)).toString('base64')
  const shown = /^(image\/(jpeg|png)|video\/mp4|audio\/)/.test(file.mimeType)
  return {
    media: { mimetype: file.mimeType, data, filename: file.name, filesize: file.size },
    voice: file.kind === 'voice',
    asDocument: !shown,
  }
}
