import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Channel, MessageDirection, MessageKind, TicketId, TicketStatus } from './model.js'

/** A customer identity as a platform describes it. */
export interface InboundContact {
  /** The platform's id of the conversation we answer into (a Telegram chat id, a WhatsApp number…). */
  readonly externalId: string
  readonly displayName: string
  readonly username?: string
  /** IETF language tag, when the platform tells it. */
  readonly language?: string
}

/** One customer message, translated from any platform into the one shape the core understands. */
export interface InboundMessage {
  readonly channel: Channel
  /** The platform's id of this message; redelivery of the same id is ignored. */
  readonly externalId: string
  readonly contact: InboundContact
  readonly kind: MessageKind
  /** The text or caption; empty when there is none. */
  readonly text: string
  readonly sentAt: Date
}

/** One message to a customer. */
export interface OutboundMessage {
  readonly channel: Channel
  /** The contact's external id on that channel. */
  readonly to: string
  readonly text: string
}

/** A route an adapter serves on the shared HTTP server (webhooks pushed to us). */
export interface WebhookRoute {
  readonly method: 'GET' | 'POST'
  readonly path: string
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>
}

/** Receives inbound messages from an adapter; resolves once the message is stored. */
export type InboundSink = (msg: InboundMessage) => Promise<void>

/**
 * A customer-facing platform. Adding a platform is a folder in adapters/ implementing this,
 * and a line in the registry: nothing in src/core changes.
 */
export interface ChannelAdapter {
  readonly channel: Channel
  /** Starts receiving; every inbound message goes to `sink`. Resolves once receiving has begun. */
  start(sink: InboundSink): Promise<void>
  /**
   * Sends one message. Throws a DeskError: `retryable` when trying later can help,
   * with `retryAfterMs` when the platform said how long to wait.
   */
  send(msg: OutboundMessage): Promise<{ externalMessageId: string }>
  stop(): Promise<void>
  /** Routes for platforms that push to us. */
  routes?(): readonly WebhookRoute[]
}

/** Where a ticket's thread lives on the agent side. */
export interface ThreadRef {
  readonly channel: string
  readonly ts: string
}

/** A ticket as the agent desk shows it. */
export interface TicketView {
  readonly id: TicketId
  readonly status: TicketStatus
  readonly channel: Channel
  readonly subject: string
  readonly customer: { readonly name: string; readonly username: string | null }
  /** The desk user id of the assignee. */
  readonly assignee: string | null
  readonly followUpOf: TicketId | null
  readonly createdAt: Date
  readonly thread: ThreadRef | null
}

/** One line in a ticket's thread. */
export interface ThreadEntry {
  readonly direction: MessageDirection
  readonly kind: MessageKind
  readonly text: string
  /** The desk user id of the agent who wrote it, for replies and notes. */
  readonly author: string | null
}

/**
 * The agents' side: where tickets are shown and worked. Slack implements it; the outbox calls it.
 * Each method throws a DeskError like ChannelAdapter.send.
 */
export interface AgentDesk {
  openThread(ticket: TicketView): Promise<ThreadRef>
  updateThread(ticket: TicketView & { readonly thread: ThreadRef }): Promise<void>
  postToThread(
    ticket: TicketView & { readonly thread: ThreadRef },
    entry: ThreadEntry,
  ): Promise<{ ts: string }>
}
