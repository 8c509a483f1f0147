import { DeskError } from './errors.js'
import type { FileRef, InboundContact, InboundMessage } from './ports.js'

const TEXT_MAX = 50_000
const NAME_MAX = 200

const text = (v: unknown, max: number): string | undefined =>
  typeof v === 'string' ? v.slice(0, max) : typeof v === 'number' ? String(v) : undefined

/**
 * A customer message as the core may store it, whatever an adapter read from a platform's payload:
 * strings where strings belong (a caption sent as a number, a language code sent as 7), lengths
 * bounded, a date that is a date. What cannot be named at all (no message id, no sender) is a
 * DeskError `invalid`: the message is malformed and is skipped, never retried.
 */
export function wellFormed(msg: InboundMessage): InboundMessage {
  const externalId = text(msg.externalId, 500)
  const contactId = text(msg.contact?.externalId, 200)
  if (externalId === undefined || externalId === '' || contactId === undefined || contactId === '') {
    throw new DeskError('invalid', 'a customer message without a message id or a sender')
  }
  const c = msg.contact
  const username = text(c.username, NAME_MAX)
  const language = text(c.language, 35)
  const avatarUrl = text(c.avatarUrl, 2_000)
  const contact: InboundContact = {
    externalId: contactId,
    displayName: text(c.displayName, NAME_MAX) || contactId,
    ...(username !== undefined && { username }),
    ...(language !== undefined && { language }),
    ...(avatarUrl !== undefined && { avatarUrl }),
    ...(c.provisional === true && { provisional: true }),
  }
  const sentAt = msg.sentAt instanceof Date && Number.isFinite(msg.sentAt.getTime()) ? msg.sentAt : new Date()
  const files = wellFormedFiles(msg.files)
  const choice = wellFormedChoice(msg.choice)
  const reference = text(msg.reference, REFERENCE_MAX)
  return {
    channel: msg.channel,
    kind: msg.kind,
    externalId,
    contact,
    text: text(msg.text, TEXT_MAX) ?? '',
    sentAt,
    ...(files.length > 0 && { files }),
    ...(choice !== undefined && { choice }),
    ...(reference !== undefined && reference !== '' && { reference }),
  }
}

/** A deep link's reference is at most 64 characters on Telegram; room for other platforms' ids. */
const REFERENCE_MAX = 128

/** A tapped choice as the platform echoed it: its id (anyone may forge it; the core checks it) and the menu's message. */
function wellFormedChoice(choice: unknown): InboundMessage['choice'] {
  if (typeof choice !== 'object' || choice === null) return undefined
  const { id, menuMessage } = choice as { id?: unknown; menuMessage?: unknown }
  const shown = text(id, 128)
  if (shown === undefined || shown === '') return undefined
  const menu = text(menuMessage, 128)
  return { id: shown, ...(menu !== undefined && { menuMessage: menu }) }
}

/** The files a message names that can be fetched (they have a reference); a name is made up when missing. */
function wellFormedFiles(files: unknown): FileRef[] {
  if (!Array.isArray(files)) return []
  return files.slice(0, 20).flatMap((f: Partial<FileRef> | null): FileRef[] => {
    const ref = text(f?.ref, 4_000)
    if (f === null || ref === undefined || ref === '') return []
    const mimeType = text(f.mimeType, 200)
    const size = typeof f.size === 'number' && Number.isFinite(f.size) && f.size >= 0 ? f.size : undefined
    return [
      {
        kind: f.kind ?? 'document',
        ref,
        name: text(f.name, NAME_MAX) || 'file',
        ...(mimeType !== undefined && { mimeType }),
        ...(size !== undefined && { size }),
      },
    ]
  })
}

/** Whether an error says the input itself is malformed (retrying the same input cannot help). */
export function isMalformed(error: unknown): boolean {
  if (error instanceof DeskError) return error.code === 'invalid'
  return error instanceof TypeError || error instanceof RangeError
}
