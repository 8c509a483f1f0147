import { kindOfFile, mimeTypeOf } from '../../src/core/files.js'
import type { FileRef } from '../../src/core/ports.js'

/** The slice of a Slack file object (in a message event or a modal's file input) that is read. */
export interface SlackFile {
  readonly id: string
  readonly name?: string | null
  readonly title?: string | null
  readonly mimetype?: string
  readonly filetype?: string
  readonly size?: number
  readonly url_private?: string
  readonly url_private_download?: string
  readonly subtype?: string
}

/**
 * A file an agent attached, as the core refers to it: fetched later from its download address with
 * the bot token. Slack's audio clips (`slack_audio`) leave as voice notes.
 */
export function toFileRef(f: SlackFile): FileRef {
  const name = f.name ?? f.title ?? `${f.id}.${f.filetype ?? 'bin'}`
  const mimeType = mimeTypeOf(name, f.mimetype)
  return {
    kind: f.subtype === 'slack_audio' ? 'voice' : kindOfFile(mimeType),
    ref: f.url_private_download ?? f.url_private ?? '',
    name,
    mimeType,
    ...(f.size !== undefined && { size: f.size }),
  }
}
