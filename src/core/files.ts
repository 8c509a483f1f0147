import type { MessageKind } from './model.js'
import type { NewAttachment } from '../db/repos/attachments.js'
import type { FileFamily, FileRef, FileTraits } from './ports.js'

/** What the desk lets through (MAX_ATTACHMENT_MB and ATTACHMENT_TYPES), checked before any byte moves. */
export interface FileLimits {
  readonly maxBytes: number
  /** MIME types allowed, exact (`application/pdf`) or by family (`image/*`). */
  readonly types: readonly string[]
}

/** What a file is, as far as the limits care. */
export interface FileFacts {
  readonly name: string
  readonly mimeType: string
  readonly size?: number
}

/** Types by extension, for the platforms and uploads that name a file but not its type. */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  '3gp': 'video/3gpp',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  wav: 'audio/wav',
  amr: 'audio/amr',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  zip: 'application/zip',
  gz: 'application/gzip',
  tgz: 'application/gzip',
  '7z': 'application/x-7z-compressed',
  rar: 'application/vnd.rar',
  tar: 'application/x-tar',
  exe: 'application/x-msdownload',
  tgs: 'application/x-tgsticker',
}

const OCTET = 'application/octet-stream'

/** A file's type: the one given unless it says nothing (`application/octet-stream`), else by its extension. */
export function mimeTypeOf(name: string, given?: string | null): string {
  const bare = given?.split(';')[0]?.trim().toLowerCase()
  if (bare !== undefined && bare !== '' && bare !== OCTET) return bare
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase()
  return (ext !== undefined ? BY_EXTENSION[ext] : undefined) ?? bare ?? OCTET
}

/** The family a platform's limits put a file in. */
export function familyOf(mimeType: string): FileFamily {
  if (mimeType.startsWith('image/')) return 'image'
  if (mimeType.startsWith('video/')) return 'video'
  if (mimeType.startsWith('audio/')) return 'audio'
  return 'document'
}

/** The kind of message a file makes when it leaves on its own. */
export function kindOfFile(mimeType: string): MessageKind {
  const family = familyOf(mimeType)
  return family === 'image' ? 'photo' : family
}

/** The named groups ATTACHMENT_TYPES may list, as the MIME types they stand for. */
export const TYPE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  images: ['image/*'],
  video: ['video/*'],
  audio: ['audio/*'],
  pdf: ['application/pdf'],
  text: ['text/plain', 'text/csv'],
  office: [
    'application/msword',
    'application/vnd.openxmlformats-officedocument.*',
    'application/vnd.ms-excel',
    'application/vnd.ms-powerpoint',
    'application/vnd.oasis.opendocument.*',
    'application/rtf',
  ],
  archives: [
    'application/zip',
    'application/x-zip-compressed',
    'application/gzip',
    'application/x-gzip',
    'application/x-7z-compressed',
    'application/vnd.rar',
    'application/x-rar-compressed',
    'application/x-tar',
  ],
}

export const DEFAULT_TYPE_GROUPS = ['images', 'video', 'audio', 'pdf', 'office', 'archives'] as const

function allowed(mimeType: string, types: readonly string[]): boolean {
  return types.some((t) => (t.endsWith('*') ? mimeType.startsWith(t.slice(0, -1)) : mimeType === t))
}

/** `25 MB`, `1.5 MB`, `800 KB`. */
export function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`
  const mb = bytes / (1024 * 1024)
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`
}

/**
 * Why a file may not travel, in words for the person who sent it, or undefined when it may. The
 * desk's own limits first, then the platform's when the file is bound for one (`platform`).
 */
export function fileRefusal(
  file: FileFacts,
  limits: FileLimits,
  platform?: { readonly label: string; readonly traits: FileTraits | undefined },
): string | undefined {
  if (!allowed(file.mimeType, limits.types))
    return `${file.name} is a type of file the desk does not let through (${file.mimeType}; see ATTACHMENT_TYPES)`
  if (file.size !== undefined && file.size > limits.maxBytes)
    return `${file.name} is ${sizeText(file.size)}, over the ${sizeText(limits.maxBytes)} limit (MAX_ATTACHMENT_MB)`
  if (platform === undefined) return undefined
  if (platform.traits === undefined) return `${platform.label} does not take files from the desk`
  const family = familyOf(file.mimeType)
  const max = platform.traits.maxBytes[family]
  if (file.size !== undefined && file.size > max)
    return `${file.name} is ${sizeText(file.size)}; ${platform.label} takes ${family === 'document' ? 'files' : `${family} files`} up to ${sizeText(max)}`
  return undefined
}

/** A file a message carries, as it is recorded with that message (its type from its name when not given). */
export function attachmentOf(f: FileRef): NewAttachment {
  return {
    kind: f.kind,
    source: f.ref,
    name: f.name,
    mimeType: mimeTypeOf(f.name, f.mimeType),
    size: f.size ?? null,
  }
}
