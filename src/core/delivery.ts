import type { Channel, Lane, TicketStatus } from './model.js'

/**
 * What the support channel should hear, as facts: the outbox's alerts and the scheduler's morning
 * digest. The desk puts them into words. `target` names a conversation (`slack:C…`,
 * `telegram:123`, `customer-info:7`).
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
  | { readonly kind: 'digest'; readonly digest: Digest }
  | {
      readonly kind: 'webhook_paused'
      readonly endpointId: number
      /** Where it points, scheme and host only (a path or query may hold a token). */
      readonly host: string
      readonly minutes: number
      readonly reason: string
    }

/** The morning's figures: tickets that need work, SLA breaches, and who waits longest. */
export interface Digest {
  /** The team's local day it is for (YYYY-MM-DD). */
  readonly day: string
  /** Tickets that need work, by status, in the order to show them. */
  readonly open: readonly { readonly status: TicketStatus; readonly count: number }[]
  /** Yesterday's figures, as `/report yesterday` counts them (see README, "Reports"). */
  readonly yesterday: {
    readonly created: number
    readonly solved: number
    readonly reopened: number
    readonly firstResponseMedianMs: number | null
    /** SLA targets breached by the tickets created yesterday. */
    readonly breached: number
  }
  /** The tickets waiting longest for an answer, oldest first; `since` is an ISO time. */
  readonly waiting: readonly {
    readonly ticketId: number
    readonly channel: Channel
    /** The customer's name as their platform gave it. */
    readonly customer: string
    readonly since: string
  }[]
}

/**
 * What one outbox row asks for. Rows name the ticket and message rather than carry rendered
 * content: the desk shows the ticket as it is when the row is delivered, not as it was queued.
 */
export type DeliveryPayload =
  | { readonly type: 'desk.open' }
  | { readonly type: 'desk.update' }
  | { readonly type: 'desk.entry'; readonly messageId: number }
  /** A customer's file, fetched from their platform and uploaded into the ticket's thread. */
  | { readonly type: 'desk.file'; readonly attachmentId: number }
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
      /** A conversation or person to post to instead of the support channel. */
      readonly to?: string
      /** Files kept in notice_files until the notice has gone. */
      readonly fileIds?: readonly number[]
      /** Files inside the payload, as notices were queued before notice_files. */
      readonly files?: readonly { filename: string; base64: string }[]
    }
  | { readonly type: 'desk.alert'; readonly alert: DeskAlert }
  | { readonly type: 'customer.message'; readonly messageId: number }
  | { readonly type: 'customer.info' }
  | {
      readonly type: 'customer.direct'
      readonly channel: Channel
      readonly to: string
      readonly text: string
      /** A menu under the text (see OutboundMessage.choices). */
      readonly choices?: readonly { readonly id: string; readonly label: string }[]
      /** A message of ours it changes instead of a new one (see OutboundMessage.replaces). */
      readonly replaces?: string
    }
  /** One stored webhook event (see webhook_events) for one endpoint. */
  | { readonly type: 'webhook.event'; readonly endpointId: number; readonly eventId: string }

export const laneOf = (p: DeliveryPayload): Lane =>
  p.type === 'webhook.event'
    ? `webhook:${p.endpointId}`
    : p.type === 'customer.info'
      ? 'info'
      : p.type.startsWith('desk.')
        ? 'desk'
        : 'customer'
