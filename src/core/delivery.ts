import type { Channel, Lane } from './model.js'

/**
 * What the outbox has to tell the support channel, as facts: the desk puts them into words.
 * `target` names a conversation (`slack:C…`, `telegram:123`, `customer-info:7`).
 */
export type DeskAlert =
  | {
      readonly kind: 'deliveries_failing'
      readonly target: string
      readonly minutes: number
      readonly reason: string
    }
  | { readonly kind: 'deliveries_recovered'; readonly target: string }
  | { readonly kind: 'ticket_rerouted'; readonly ticketId: number; readonly reason: string }
  | { readonly kind: 'not_shown'; readonly ticketId: number | null; readonly reason: string }

/**
 * What one outbox row asks for. Rows name the ticket and message rather than carry rendered
 * content: the desk shows the ticket as it is when the row is delivered, not as it was queued.
 */
export type DeliveryPayload =
  | { readonly type: 'desk.open' }
  | { readonly type: 'desk.update' }
  | { readonly type: 'desk.entry'; readonly messageId: number }
  | {
      readonly type: 'desk.react'
      readonly messageId: number
      readonly reaction: string
      /** A reaction this one replaces (⏳ becomes ✅ once a reply left). */
      readonly replaces?: string
    }
  | {
      readonly type: 'desk.notice'
      readonly text: string
      readonly image?: { filename: string; pngBase64: string }
    }
  | { readonly type: 'desk.alert'; readonly alert: DeskAlert }
  | { readonly type: 'customer.message'; readonly messageId: number }
  | { readonly type: 'customer.info' }
  | {
      readonly type: 'customer.direct'
      readonly channel: Channel
      readonly to: string
      readonly text: string
    }

export const laneOf = (p: DeliveryPayload): Lane =>
  p.type === 'customer.info' ? 'info' : p.type.startsWith('desk.') ? 'desk' : 'customer'
