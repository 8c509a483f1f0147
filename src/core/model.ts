/** The help desk's vocabulary (see docs/DESIGN.md). Plain types, no behaviour. */

/**
 * A customer channel's id (`telegram`, `whatsapp_cloud`, …), stored on every ticket. The channels
 * themselves are registered in adapters/index.ts; the core knows none of them by name.
 */
export type Channel = string

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const
export type TicketStatus = (typeof TICKET_STATUSES)[number]

export type MessageDirection = 'inbound' | 'outbound' | 'note' | 'system'

/**
 * What a message is. `choice` is a tapped button or list item, `start` a customer opening the
 * conversation (Telegram's /start, a "Get started" button).
 */
export type MessageKind =
  | 'text'
  | 'photo'
  | 'video'
  | 'voice'
  | 'audio'
  | 'document'
  | 'sticker'
  | 'animation'
  | 'location'
  | 'contact'
  | 'poll'
  | 'choice'
  | 'reaction'
  | 'share'
  | 'story_reply'
  | 'story_mention'
  | 'edit'
  | 'unsend'
  | 'template'
  | 'start'
  | 'other'

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export type Priority = (typeof PRIORITIES)[number]

export type AgentRole = 'agent' | 'supervisor' | 'admin'
export type ActorType = 'customer' | 'agent' | 'system'

/**
 * Deliveries are ordered within a lane of a ticket: Slack posts, customer sends and lookups of
 * customer info never block each other.
 */
export type Lane = 'desk' | 'customer' | 'info' | WebhookLane

/** One outgoing webhook endpoint's events, per ticket: a failing endpoint holds back only its own. */
export type WebhookLane = `webhook:${number}`
export type DeliveryStatus = 'queued' | 'sent' | 'failed' | 'cancelled'

export type TicketId = number & { readonly __brand: 'TicketId' }
export const asTicketId = (n: number): TicketId => n as TicketId

/** The human label of a status. */
export const statusLabel: Record<TicketStatus, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
}
