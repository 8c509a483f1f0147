import type { FileRef, InboundMessage } from '../../src/core/ports.js'
import type { MessageKind } from '../../src/core/model.js'
import { isMenuChoice } from '../../src/core/menu-choice.js'

/** The slice of a Telegram `User` we read. */
export interface TelegramUser {
  readonly id: number
  readonly first_name: string
  readonly last_name?: string
  readonly username?: string
  readonly language_code?: string
}

/** The slice of a Bot API file (`PhotoSize`, `Document`, `Voice`…) we read. */
export interface TelegramFile {
  readonly file_id: string
  readonly file_name?: string
  readonly mime_type?: string
  readonly file_size?: number
}

/** The slice of a Telegram `Message` we read (Bot API `Message`). */
export interface TelegramMessage {
  readonly message_id: number
  readonly date: number
  readonly chat: { readonly id: number; readonly type: string }
  readonly from?: TelegramUser
  readonly text?: string
  readonly caption?: string
  readonly photo?: readonly TelegramFile[]
  readonly video?: TelegramFile
  readonly video_note?: TelegramFile
  readonly voice?: TelegramFile
  readonly audio?: TelegramFile & { readonly title?: string }
  readonly document?: TelegramFile
  readonly animation?: TelegramFile
  readonly sticker?: TelegramFile & {
    readonly emoji?: string
    readonly is_animated?: boolean
    readonly is_video?: boolean
    readonly thumbnail?: TelegramFile
  }
  readonly location?: { readonly latitude: number; readonly longitude: number }
  readonly contact?: {
    readonly phone_number: string
    readonly first_name: string
    readonly last_name?: string
  }
  readonly poll?: { readonly question: string }
}

function kindAndText(m: TelegramMessage): { kind: MessageKind; text: string } {
  const caption = m.caption ?? ''
  if (m.text !== undefined) {
    const start = /^\/start(@\w+)?(\s+|$)/.exec(m.text)
    if (start === null) return { kind: 'text', text: m.text }
    // A deep link (`t.me/bot?start=ORDER-123`) sends one token of up to 64 letters, digits, _ and -:
    // a reference to keep. More words are what a customer typed on: they are the message.
    const rest = m.text.slice(start[0].length).trim()
    if (rest === '' || DEEP_LINK.test(rest)) return { kind: 'start', text: m.text }
    return { kind: 'text', text: rest }
  }
  if (m.photo !== undefined) return { kind: 'photo', text: caption }
  // An animation also carries a `document`: test it first.
  if (m.animation !== undefined) return { kind: 'animation', text: caption }
  if (m.video !== undefined || m.video_note !== undefined) return { kind: 'video', text: caption }
  if (m.voice !== undefined) return { kind: 'voice', text: caption }
  if (m.audio !== undefined) return { kind: 'audio', text: caption || (m.audio.title ?? '') }
  if (m.document !== undefined) return { kind: 'document', text: caption || (m.document.file_name ?? '') }
  if (m.sticker !== undefined) return { kind: 'sticker', text: m.sticker.emoji ?? '' }
  if (m.location !== undefined)
    return { kind: 'location', text: `${m.location.latitude}, ${m.location.longitude}` }
  if (m.contact !== undefined) {
    const name = [m.contact.first_name, m.contact.last_name].filter(Boolean).join(' ')
    return { kind: 'contact', text: `${name} ${m.contact.phone_number}` }
  }
  if (m.poll !== undefined) return { kind: 'poll', text: m.poll.question }
  return { kind: 'other', text: caption }
}

/** What Telegram allows as a deep link's `start` parameter. */
const DEEP_LINK = /^[A-Za-z0-9_-]{1,64}$/

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

/** A Bot API file as a FileRef: its name (made up from the message when Telegram gives none) and type. */
function fileRef(
  kind: FileRef['kind'],
  file: TelegramFile | undefined,
  fallback: { name: string; mimeType: string },
): FileRef[] {
  if (!isObject(file) || typeof file.file_id !== 'string') return []
  const name = typeof file.file_name === 'string' && file.file_name !== '' ? file.file_name : fallback.name
  return [
    {
      kind,
      ref: file.file_id,
      name,
      mimeType: typeof file.mime_type === 'string' ? file.mime_type : fallback.mimeType,
      ...(typeof file.file_size === 'number' && { size: file.file_size }),
    },
  ]
}

/** The file a message carries, if any: the largest size of a photo; a still picture of an animated sticker. */
function filesOf(m: TelegramMessage): FileRef[] {
  const id = m.message_id
  if (Array.isArray(m.photo))
    return fileRef('photo', (m.photo as readonly TelegramFile[]).at(-1), {
      name: `photo-${id}.jpg`,
      mimeType: 'image/jpeg',
    })
  if (m.animation !== undefined)
    return fileRef('animation', m.animation, { name: `animation-${id}.mp4`, mimeType: 'video/mp4' })
  if (m.video !== undefined)
    return fileRef('video', m.video, { name: `video-${id}.mp4`, mimeType: 'video/mp4' })
  if (m.video_note !== undefined)
    return fileRef('video', m.video_note, { name: `video-note-${id}.mp4`, mimeType: 'video/mp4' })
  if (m.voice !== undefined)
    return fileRef('voice', m.voice, { name: `voice-${id}.ogg`, mimeType: 'audio/ogg' })
  if (m.audio !== undefined)
    return fileRef('audio', m.audio, { name: `audio-${id}.mp3`, mimeType: 'audio/mpeg' })
  if (m.document !== undefined)
    return fileRef('document', m.document, { name: `document-${id}`, mimeType: 'application/octet-stream' })
  if (m.sticker !== undefined) {
    const { sticker } = m
    if (sticker.is_animated === true)
      return fileRef('sticker', sticker.thumbnail, { name: `sticker-${id}.webp`, mimeType: 'image/webp' })
    return sticker.is_video === true
      ? fileRef('sticker', sticker, { name: `sticker-${id}.webm`, mimeType: 'video/webm' })
      : fileRef('sticker', sticker, { name: `sticker-${id}.webp`, mimeType: 'image/webp' })
  }
  return []
}

/**
 * The message of an update, when it has what every message has (an id, a date, a chat); undefined
 * for a malformed one, which is skipped rather than retried for ever.
 */
export function readMessage(value: unknown): TelegramMessage | undefined {
  if (!isObject(value) || !isObject(value.chat)) return undefined
  const {
    message_id: id,
    date,
    chat,
    from,
    text,
  } = value as Record<string, unknown> & {
    chat: Record<string, unknown>
  }
  if (typeof id !== 'number' || typeof date !== 'number') return undefined
  if (typeof chat.id !== 'number' || typeof chat.type !== 'string') return undefined
  if (from !== undefined && (!isObject(from) || typeof from.id !== 'number')) return undefined
  if (text !== undefined && typeof text !== 'string') return undefined
  return value as unknown as TelegramMessage
}

/** A private-chat message as an InboundMessage; undefined for what is not a customer writing to us. */
export function toInbound(m: TelegramMessage): InboundMessage | undefined {
  if (m.chat.type !== 'private' || m.from === undefined) return undefined
  const { kind, text } = kindAndText(m)
  const files = filesOf(m)
  const reference = kind === 'start' ? text.split(/\s+/)[1] : undefined
  const name = [m.from.first_name, m.from.last_name].filter(Boolean).join(' ')
  return {
    channel: 'telegram',
    externalId: `${m.chat.id}:${m.message_id}`,
    contact: {
      externalId: String(m.chat.id),
      displayName: name || m.from.username || String(m.from.id),
      ...(m.from.username !== undefined && { username: m.from.username }),
      ...(m.from.language_code !== undefined && { language: m.from.language_code }),
    },
    kind,
    text,
    sentAt: new Date(m.date * 1000),
    ...(files.length > 0 && { files }),
    ...(reference !== undefined && { reference }),
  }
}

/** The slice of a Telegram `CallbackQuery` we read: a tap on one of our inline keyboards. */
export interface TelegramCallbackQuery {
  readonly id: string
  readonly from: TelegramUser
  readonly data?: string
  readonly message?: {
    readonly message_id: number
    readonly chat: { readonly id: number; readonly type: string }
  }
}

/** Our inline keyboards' callback data: `td:` and the choice's id. */
export const CALLBACK_PREFIX = 'td:'

/**
 * A tap on an inline keyboard as an InboundMessage of kind `choice`, keyed by the callback query's id
 * (Telegram sends a query again until it is answered); undefined for a tap that is not on one of
 * our menus in a private chat.
 */
export function callbackToInbound(q: TelegramCallbackQuery, at: Date): InboundMessage | undefined {
  if (typeof q.id !== 'string' || !isObject(q.from) || typeof q.from.id !== 'number') return undefined
  const chat = q.message?.chat
  if (chat?.type !== 'private' || typeof q.data !== 'string' || !q.data.startsWith(CALLBACK_PREFIX))
    return undefined
  // Data no menu of ours carries is no message either: the tap is only answered.
  if (!isMenuChoice(q.data.slice(CALLBACK_PREFIX.length))) return undefined
  const name = [q.from.first_name, q.from.last_name].filter(Boolean).join(' ')
  return {
    channel: 'telegram',
    externalId: `callback:${q.id}`,
    contact: {
      externalId: String(chat.id),
      displayName: name || q.from.username || String(q.from.id),
      ...(q.from.username !== undefined && { username: q.from.username }),
      ...(q.from.language_code !== undefined && { language: q.from.language_code }),
    },
    kind: 'choice',
    text: q.data.slice(CALLBACK_PREFIX.length),
    sentAt: at,
    choice: { id: q.data.slice(CALLBACK_PREFIX.length), menuMessage: `${chat.id}:${q.message!.message_id}` },
  }
}
