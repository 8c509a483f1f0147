import type { MessageKind } from '../../src/core/model.js'
import type { FileRef } from '../../src/core/ports.js'
import { filesOf } from './files.js'

/** The slice of an Instagram `messaging` webhook item we read. */
export interface InstagramMessaging {
  readonly sender: { readonly id: string }
  readonly recipient: { readonly id: string }
  readonly timestamp: number
  readonly message?: {
    readonly mid: string
    readonly text?: string
    readonly is_echo?: boolean
    readonly is_deleted?: boolean
    readonly is_unsupported?: boolean
    readonly attachments?: readonly {
      readonly type: string
      readonly payload?: { readonly url?: string; readonly title?: string }
    }[]
    readonly reply_to?: { readonly story?: { readonly url?: string } }
    /** A tapped quick reply: the payload we gave it (its title is the text). */
    readonly quick_reply?: { readonly payload?: string }
  }
  readonly message_edit?: { readonly mid: string; readonly text?: string; readonly num_edit?: number }
}

/** What one messaging item says, before the sender's profile is known. */
export interface InstagramEvent {
  readonly senderId: string
  /** Unique per event: the message id, with the edit number for edits. */
  readonly externalId: string
  readonly kind: MessageKind
  readonly text: string
  readonly sentAt: Date
  /** The media it carries, fetched later. */
  readonly files?: readonly FileRef[]
  /** A tapped quick reply of one of our menus: its payload names the choice. */
  readonly choice?: { readonly id: string }
}

const ATTACHMENT_KINDS: Record<string, MessageKind> = {
  image: 'photo',
  video: 'video',
  audio: 'audio',
  file: 'document',
  share: 'share',
  ig_reel: 'share',
  reel: 'share',
  ig_post: 'share',
  story_mention: 'story_mention',
  animated_image: 'animation',
  sticker: 'sticker',
}

/**
 * One messaging item as a customer event; undefined for echoes of our own sends (Meta posts
 * every message we send back to us) and for items that carry no message.
 */
export function toEvent(item: InstagramMessaging): InstagramEvent | undefined {
  // A signed batch may still carry an item without a sender; it is skipped, never retried for ever.
  if (typeof (item.sender as { id?: unknown } | undefined)?.id !== 'string') return undefined
  const sentAt = new Date(item.timestamp)
  const edit = item.message_edit
  if (edit !== undefined) {
    return {
      senderId: item.sender.id,
      externalId: `${edit.mid}:edit:${edit.num_edit ?? 1}`,
      kind: 'edit',
      text: edit.text ?? '',
      sentAt,
    }
  }
  const m = item.message
  if (m === undefined || m.is_echo === true) return undefined
  const base = { senderId: item.sender.id, sentAt }
  if (m.is_deleted === true) return { ...base, externalId: `${m.mid}:unsend`, kind: 'unsend', text: '' }
  if (m.reply_to?.story !== undefined)
    return { ...base, externalId: m.mid, kind: 'story_reply', text: m.text ?? '' }
  const attachment = m.attachments?.[0]
  if (attachment !== undefined) {
    const kind = ATTACHMENT_KINDS[attachment.type] ?? 'other'
    const link = kind === 'share' || kind === 'story_mention' ? (attachment.payload?.url ?? '') : ''
    const files = filesOf(m.mid, m.attachments)
    return { ...base, externalId: m.mid, kind, text: m.text ?? link, ...(files.length > 0 && { files }) }
  }
  const payload = m.quick_reply?.payload
  if (typeof payload === 'string' && payload !== '')
    return { ...base, externalId: m.mid, kind: 'choice', text: m.text ?? '', choice: { id: payload } }
  return {
    ...base,
    externalId: m.mid,
    kind: m.is_unsupported === true ? 'other' : 'text',
    text: m.text ?? '',
  }
}
