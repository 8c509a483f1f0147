import type { MessageKind } from '../../src/core/model.js'
import type { DeliveryStatusUpdate, InboundMessage } from '../../src/core/ports.js'
import { filesOf } from './files.js'

/** The slice of a Cloud API `messages` item we read. */
export interface CloudMessage {
  readonly from: string
  readonly id: string
  readonly timestamp: string
  readonly type: string
  readonly text?: { readonly body: string }
  readonly image?: { readonly caption?: string }
  readonly video?: { readonly caption?: string }
  readonly audio?: { readonly voice?: boolean }
  readonly document?: { readonly caption?: string; readonly filename?: string }
  readonly sticker?: unknown
  readonly location?: {
    readonly latitude: number
    readonly longitude: number
    readonly name?: string
    readonly address?: string
  }
  readonly contacts?: readonly {
    readonly name?: { readonly formatted_name?: string }
    readonly phones?: readonly { readonly phone?: string }[]
  }[]
  readonly interactive?: {
    readonly button_reply?: { readonly id?: string; readonly title: string }
    readonly list_reply?: { readonly id?: string; readonly title: string; readonly description?: string }
  }
  /** The message this one answers: for a tapped button, the menu. */
  readonly context?: { readonly id?: string }
  readonly button?: { readonly text: string }
  readonly reaction?: { readonly emoji?: string }
}

/** The slice of a Cloud API `statuses` item we read. */
export interface CloudStatus {
  readonly id: string
  readonly status: string
  readonly errors?: readonly {
    readonly code?: number
    readonly title?: string
    readonly error_data?: { readonly details?: string }
  }[]
}

/** The `value` of a `messages` change. */
export interface CloudChangeValue {
  readonly metadata?: { readonly phone_number_id?: string }
  readonly contacts?: readonly { readonly wa_id: string; readonly profile?: { readonly name?: string } }[]
  readonly messages?: readonly CloudMessage[]
  readonly statuses?: readonly CloudStatus[]
}

function kindAndText(m: CloudMessage): { kind: MessageKind; text: string } {
  switch (m.type) {
    case 'text':
      return { kind: 'text', text: m.text?.body ?? '' }
    case 'image':
      return { kind: 'photo', text: m.image?.caption ?? '' }
    case 'video':
      return { kind: 'video', text: m.video?.caption ?? '' }
    case 'audio':
      return { kind: m.audio?.voice === true ? 'voice' : 'audio', text: '' }
    case 'document':
      return { kind: 'document', text: m.document?.caption ?? m.document?.filename ?? '' }
    case 'sticker':
      return { kind: 'sticker', text: '' }
    case 'location': {
      const l = m.location
      const place = [l?.name, l?.address].filter(Boolean).join(', ')
      return { kind: 'location', text: `${l?.latitude}, ${l?.longitude}${place ? ` (${place})` : ''}` }
    }
    case 'contacts': {
      const cards = (m.contacts ?? []).map((c) =>
        [c.name?.formatted_name, ...(c.phones ?? []).map((p) => p.phone)].filter(Boolean).join(' '),
      )
      return { kind: 'contact', text: cards.join('; ') }
    }
    case 'interactive': {
      const choice = m.interactive?.button_reply ?? m.interactive?.list_reply
      return { kind: 'choice', text: choice?.title ?? '' }
    }
    case 'button':
      return { kind: 'choice', text: m.button?.text ?? '' }
    case 'reaction':
      return { kind: 'reaction', text: m.reaction?.emoji ?? '' }
    default:
      return { kind: 'other', text: '' }
  }
}

/** The id of a tapped reply button or list row, which names the choice of one of our menus. */
function choiceOf(m: CloudMessage): { id: string } | undefined {
  if (m.type !== 'interactive') return undefined
  const id = (m.interactive?.button_reply ?? m.interactive?.list_reply)?.id
  return typeof id === 'string' && id !== '' ? { id } : undefined
}

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed'])

/**
 * One `messages` change as customer messages and delivery reports. Changes for another phone
 * number of the same business account are not ours and yield nothing.
 */
export function readChange(
  value: CloudChangeValue,
  phoneNumberId: string,
): { messages: InboundMessage[]; statuses: DeliveryStatusUpdate[]; skipped: number } {
  if (value.metadata?.phone_number_id !== phoneNumberId) return { messages: [], statuses: [], skipped: 0 }
  const names = new Map<unknown, string | undefined>(
    listOf(value.contacts)
      .filter(isObject)
      .map((c) => [c.wa_id, (c as { profile?: { name?: string } }).profile?.name]),
  )
  const allMessages = listOf(value.messages)
  const allStatuses = listOf(value.statuses)
  const wellFormed = allMessages.filter(isCloudMessage)
  const reports = allStatuses.filter(
    (s): s is CloudStatus => isObject(s) && typeof s.id === 'string' && typeof s.status === 'string',
  )
  // A message whose fields are not what Meta documents is skipped, never allowed to fail the batch.
  let unreadable = 0
  const messages = wellFormed.flatMap((m): InboundMessage[] => {
    try {
      const { kind, text } = kindAndText(m)
      const files = filesOf(m)
      const choice = choiceOf(m)
      return [
        {
          channel: 'whatsapp_cloud',
          externalId: m.id,
          contact: { externalId: m.from, displayName: names.get(m.from) ?? `+${m.from}` },
          kind,
          text: typeof text === 'string' ? text : String(text),
          sentAt: new Date(Number(m.timestamp) * 1000),
          ...(files.length > 0 && { files }),
          ...(choice !== undefined && { choice }),
        },
      ]
    } catch {
      unreadable++
      return []
    }
  })
  const statuses = reports
    .filter((s) => STATUSES.has(s.status))
    .map((s): DeliveryStatusUpdate => {
      const error = s.errors?.[0]
      const reason = error && [error.code, error.title, error.error_data?.details].filter(Boolean).join(' ')
      return {
        channel: 'whatsapp_cloud',
        externalMessageId: s.id,
        status: s.status as DeliveryStatusUpdate['status'],
        ...(reason && { reason }),
      }
    })
  const skipped = allMessages.length - wellFormed.length + unreadable + allStatuses.length - reports.length
  return { messages, statuses, skipped }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

/** A list field as sent, or nothing when it is missing or not a list. */
const listOf = <T>(v: readonly T[] | undefined): readonly unknown[] =>
  Array.isArray(v) ? (v as readonly unknown[]) : []

/** A message we can store: it says who wrote, its id and its type. Anything else is skipped. */
function isCloudMessage(m: unknown): m is CloudMessage {
  return isObject(m) && typeof m.from === 'string' && typeof m.id === 'string' && typeof m.type === 'string'
}
