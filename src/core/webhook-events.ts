import { randomUUID } from 'node:crypto'
import type { Db } from '../db/connection.js'
import { findContact } from '../db/repos/contacts.js'
import { enqueueDelivery } from '../db/repos/deliveries.js'
import { findTicketDetail } from '../db/repos/tickets.js'
import { insertWebhookEvent, liveEndpoints } from '../db/repos/webhooks.js'
import type { Message, WebhookEndpoint } from '../db/schema.js'
import { toApiMessage, toApiTicket } from './api-shapes.js'

export const WEBHOOK_EVENT_TYPES = ['ticket.created', 'ticket.updated', 'message.created'] as const
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

/** A sent-only test event, which no endpoint subscribes to: `/webhook test` sends it to one. */
export const TEST_EVENT = 'webhook.test'

/** What changed on a ticket, field by field. */
export type Changes = Partial<
  Record<'status' | 'assignee' | 'priority', { readonly from: string | null; readonly to: string | null }>
>

/** The body of a webhook, as Standard Webhooks lays it out: type, timestamp, data. */
export function eventBody(id: string, type: string, timestamp: string, data: unknown): string {
  return JSON.stringify({ id, type, timestamp, data })
}

export const newEventId = (): string => `evt_${randomUUID().replaceAll('-', '')}`

/** How long a process trusts what it read of the endpoints (another replica may add one meanwhile). */
const ENDPOINTS_TTL_MS = 1_000

/**
 * The endpoints each database has, as last read, by the database's adapter (one per database, the
 * same for its transactions): every change to a ticket asks, and most desks have no endpoint at all.
 */
const known = new WeakMap<object, { readonly at: number; readonly endpoints: readonly WebhookEndpoint[] }>()

async function endpointsOf(tx: Db, now: string): Promise<readonly WebhookEndpoint[]> {
  const key = tx.getExecutor().adapter
  const at = Date.parse(now)
  const cached = known.get(key)
  if (cached !== undefined && at >= cached.at && at - cached.at < ENDPOINTS_TTL_MS) return cached.endpoints
  const endpoints = await liveEndpoints(tx)
  known.set(key, { at, endpoints })
  return endpoints
}

/** Forgets what was read of the endpoints: this process just added or removed one. */
export function forgetEndpoints(db: Db): void {
  known.delete(db.getExecutor().adapter)
}

/**
 * Records what happened to a ticket for every endpoint that receives this type, in the caller's
 * transaction: the event is stored once, with the ticket as it is now, and one delivery per endpoint
 * is queued behind the ticket's earlier events. `once`, an id, makes the event once only (a reply
 * sent again after a crash is the same event); without endpoints for the type, nothing is stored
 * and no id is made.
 */
export async function emitTicketEvent(
  tx: Db,
  type: WebhookEventType,
  ticketId: number,
  now: string,
  extra: { readonly message?: Message; readonly changes?: Changes } = {},
  once?: string,
): Promise<void> {
  const endpoints = (await endpointsOf(tx, now)).filter((e) =>
    (JSON.parse(e.events) as string[]).includes(type),
  )
  if (endpoints.length === 0) return
  const detail = await findTicketDetail(tx, ticketId)
  const contact = detail === undefined ? undefined : await findContact(tx, detail.contact_id)
  if (detail === undefined || contact === undefined) return
  const id = once ?? newEventId()
  const data = {
    ticket: toApiTicket(detail, contact),
    ...(extra.message !== undefined && { message: toApiMessage(extra.message) }),
    ...(extra.changes !== undefined && { changes: extra.changes }),
  }
  const stored = await insertWebhookEvent(
    tx,
    { id, ticketId, type, body: eventBody(id, type, now, data) },
    now,
  )
  if (!stored) return
  for (const endpoint of endpoints) {
    await enqueueDelivery(tx, ticketId, { type: 'webhook.event', endpointId: endpoint.id, eventId: id }, now)
  }
}
