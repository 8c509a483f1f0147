import type { Db } from '../db/connection.js'
import { deskUserIdOf } from '../db/repos/agents.js'
import { findContact } from '../db/repos/contacts.js'
import {
  absorbLaterUpdates,
  dueHeads,
  enqueueDelivery,
  markFailed,
  markSent,
  nextDueAt,
  reschedule,
} from '../db/repos/deliveries.js'
import { findMessage } from '../db/repos/messages.js'
import { findTicketDetail, type TicketDetail } from '../db/repos/tickets.js'
import type { Delivery } from '../db/schema.js'
import { iso, type Clock } from './clock.js'
import type { CustomerInfo } from './customer-info.js'
import type { DeliveryPayload } from './delivery.js'
import { DeskError, describeError, isDeskError } from './errors.js'
import type { HelpDesk } from './helpdesk.js'
import type { Logger } from './logger.js'
import type { Channel } from './model.js'
import { toTicketView } from './views.js'
import type { AgentDesk, ChannelAdapter, TemplateMessage, ThreadRef, TicketView } from './ports.js'

export interface OutboxPolicy {
  /** Delay before the first retry; doubles with every attempt. */
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  /** Attempts after which a delivery that keeps failing is given up. */
  readonly maxAttempts: number
  /** How many rows are worked at once (each from a different ticket lane). */
  readonly concurrency: number
  /** How often the worker looks for due rows when nothing woke it. */
  readonly pollMs: number
}

export const defaultOutboxPolicy: OutboxPolicy = {
  baseDelayMs: 2_000,
  maxDelayMs: 10 * 60_000,
  maxAttempts: 12,
  concurrency: 8,
  pollMs: 1_000,
}

export interface OutboxDeps {
  readonly db: Db
  readonly clock: Clock
  readonly log: Logger
  readonly desk: AgentDesk
  readonly channels: ReadonlyMap<Channel, ChannelAdapter>
  readonly helpdesk: HelpDesk
  readonly policy?: Partial<OutboxPolicy>
  /** Looks a customer up at CUSTOMER_INFO_URL; never throws. */
  readonly customerInfo?: (contact: {
    channel: string
    id: string
    name: string
    username: string | null
  }) => Promise<CustomerInfo>
  /** The SLA line of a ticket's root message, as it stands when the message is posted. */
  readonly slaOf?: (ticketId: number, now: Date) => Promise<TicketView['sla']>
}

export type Outbox = ReturnType<typeof createOutbox>

/**
 * The durable outbox: delivers queued rows oldest first within each (ticket, lane), retries
 * failures with exponential backoff, honours the wait a platform asks for, and picks up whatever
 * was left after a restart. Delivery is at least once: a crash between a send and its bookkeeping
 * sends that one row again.
 */
export function createOutbox(deps: OutboxDeps) {
  const { db, clock, log, desk, channels, helpdesk } = deps
  const policy = { ...defaultOutboxPolicy, ...deps.policy }
  const inFlight = new Set<number>()
  /** Targets that told us to wait (HTTP 429): nothing goes to them before this time. */
  const pausedUntil = new Map<string, number>()
  let running = false
  let wake: (() => void) | undefined
  let loopDone: Promise<void> | undefined

  /** Who a row talks to: a wait one of them asks for holds back only the rows bound for it. */
  const targetOf = (row: Delivery, payload: DeliveryPayload, ticket: TicketDetail | undefined): string =>
    row.lane !== 'customer'
      ? row.lane
      : `channel:${payload.type === 'customer.direct' ? payload.channel : ticket?.channel}`

  async function detail(ticketId: number | null): Promise<TicketDetail | undefined> {
    return ticketId === null ? undefined : findTicketDetail(db, ticketId)
  }

  function withThread(t: TicketDetail): TicketView & { thread: ThreadRef } {
    const view = toTicketView(t)
    if (view.thread === null) {
      throw new DeskError(
        'rejected',
        `ticket #${t.id} has no Slack thread (its root message was never posted)`,
      )
    }
    return { ...view, thread: view.thread }
  }

  async function withSla<T extends TicketView>(view: T): Promise<T> {
    const sla = await deps.slaOf?.(view.id, clock.now())
    return sla === undefined ? view : { ...view, sla }
  }

  function adapterFor(channel: Channel): ChannelAdapter {
    const adapter = channels.get(channel)
    if (adapter === undefined) {
      throw new DeskError('rejected', `the ${channel} channel is not enabled (its token is not configured)`)
    }
    return adapter
  }

  async function perform(
    row: Delivery,
    payload: DeliveryPayload,
    ticket: TicketDetail | undefined,
    now: string,
  ) {
    if (payload.type === 'desk.notice') {
      const { image } = payload
      await desk.postNotice({
        text: payload.text,
        ...(image && { image: { filename: image.filename, png: Buffer.from(image.pngBase64, 'base64') } }),
      })
      return
    }
    if (payload.type === 'customer.direct') {
      await adapterFor(payload.channel).send({ channel: payload.channel, to: payload.to, text: payload.text })
      return
    }
    if (ticket === undefined) throw new DeskError('rejected', `delivery ${row.id} names no existing ticket`)
    switch (payload.type) {
      case 'desk.open': {
        const ref = await desk.openThread(await withSla(toTicketView(ticket)))
        await db
          .updateTable('tickets')
          .set({ thread_channel: ref.channel, thread_ts: ref.ts })
          .where('id', '=', ticket.id)
          .execute()
        return
      }
      case 'desk.update': {
        await absorbLaterUpdates(db, ticket.id, row.id, now)
        // Read again after absorbing, so the post shows every change the absorbed rows stood for.
        const fresh = (await detail(ticket.id)) ?? ticket
        await desk.updateThread(await withSla(withThread(fresh)))
        return
      }
      case 'desk.entry': {
        const message = await findMessage(db, payload.messageId)
        if (message === undefined)
          throw new DeskError('rejected', `message ${payload.messageId} does not exist`)
        const author = await deskUserIdOf(db, message.agent_id)
        const { ts } = await desk.postToThread(withThread(ticket), {
          direction: message.direction,
          kind: message.kind,
          text: message.text,
          author,
        })
        if (message.desk_ts === null) {
          await db.updateTable('messages').set({ desk_ts: ts }).where('id', '=', message.id).execute()
        }
        return
      }
      case 'desk.react': {
        const message = await findMessage(db, payload.messageId)
        // Only posts in the thread can carry a reaction; a reply without one has nothing to mark.
        if (message?.desk_ts == null) return
        await desk.react(withThread(ticket).thread, message.desk_ts, payload.reaction)
        return
      }
      case 'customer.info': {
        if (deps.customerInfo === undefined) return
        const info = await deps.customerInfo({
          channel: ticket.channel,
          id: ticket.contact_external_id,
          name: ticket.customer_name,
          username: ticket.customer_username,
        })
        await db
          .updateTable('tickets')
          .set({ customer_info: JSON.stringify(info) })
          .where('id', '=', ticket.id)
          .execute()
        await enqueueDelivery(db, ticket.id, { type: 'desk.update' }, iso(clock.now()))
        return
      }
      case 'customer.message': {
        const message = await findMessage(db, payload.messageId)
        if (message === undefined)
          throw new DeskError('rejected', `message ${payload.messageId} does not exist`)
        if (message.direction !== 'outbound') {
          // The one gate every customer send passes: notes and system lines never leave the desk.
          throw new DeskError('rejected', `message ${message.id} is a ${message.direction}, not a reply`)
        }
        const contact = await findContact(db, ticket.contact_id)
        if (contact === undefined) throw new DeskError('rejected', `ticket #${ticket.id} has no contact`)
        const template =
          message.template === null ? undefined : (JSON.parse(message.template) as TemplateMessage)
        const sent = await adapterFor(ticket.channel).send({
          channel: ticket.channel,
          to: contact.external_id,
          text: message.text,
          ...(template && { template }),
          ...(ticket.last_customer_message_at !== null && {
            lastCustomerMessageAt: new Date(ticket.last_customer_message_at),
          }),
        })
        await db
          .updateTable('messages')
          .set({ external_id: sent.externalMessageId, delivered_at: iso(clock.now()) })
          .where('id', '=', message.id)
          .execute()
        // A status report may have overtaken us; it knows better than "sent".
        await db
          .updateTable('messages')
          .set({ delivery_status: 'sent' })
          .where('id', '=', message.id)
          .where('delivery_status', 'is', null)
          .execute()
        return
      }
    }
  }

  function backoffMs(attempt: number): number {
    return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  }

  /** Works one row; false when its target asked us to wait and nothing was tried. */
  async function deliver(row: Delivery): Promise<boolean> {
    const payload = JSON.parse(row.payload) as DeliveryPayload
    const ticket = await detail(row.ticket_id)
    const target = targetOf(row, payload, ticket)
    const paused = pausedUntil.get(target)
    if (paused !== undefined && paused > clock.now().getTime()) return false
    const started = iso(clock.now())
    try {
      await perform(row, payload, ticket, started)
      await markSent(db, row.id, iso(clock.now()))
      log.debug({ delivery: row.id, kind: row.kind, ticket: row.ticket_id }, 'delivered')
    } catch (error) {
      await handleFailure(row, payload, target, error)
    }
    return true
  }

  async function handleFailure(row: Delivery, payload: DeliveryPayload, target: string, error: unknown) {
    // Errors that are not ours are unexpected (a bug, a network fault): worth a few more tries.
    const retryable = isDeskError(error) ? error.retryable : true
    const retryAfterMs = isDeskError(error) ? error.retryAfterMs : undefined
    const reason = describeError(error)
    const attempt = row.attempts + 1
    const now = clock.now().getTime()
    if (retryable && attempt < policy.maxAttempts) {
      const delay = Math.max(retryAfterMs ?? 0, backoffMs(attempt))
      if (retryAfterMs !== undefined) pausedUntil.set(target, now + retryAfterMs)
      await reschedule(db, row.id, reason, iso(new Date(now + delay)))
      log.warn(
        { delivery: row.id, kind: row.kind, ticket: row.ticket_id, attempt, delayMs: delay, err: reason },
        'delivery failed, will retry',
      )
      return
    }
    await markFailed(db, row.id, reason, iso(new Date(now)))
    log.error(
      { delivery: row.id, kind: row.kind, ticket: row.ticket_id, attempt, err: reason },
      'delivery failed for good',
    )
    if (row.ticket_id !== null && row.lane === 'customer') {
      const what = payload.type === 'customer.message' ? 'A message to the customer' : 'A customer message'
      await helpdesk.reportUndelivered(row.ticket_id, what, reason)
    }
  }

  /** Delivers every row that is due now; returns how many it worked. */
  async function tick(): Promise<number> {
    const heads = (await dueHeads(db, iso(clock.now()), policy.concurrency * 4)).filter(
      (r) => !inFlight.has(r.id),
    )
    let worked = 0
    for (let i = 0; i < heads.length; i += policy.concurrency) {
      const batch = heads.slice(i, i + policy.concurrency)
      batch.forEach((r) => inFlight.add(r.id))
      const results = await Promise.all(
        batch.map((r) =>
          deliver(r)
            .catch((error: unknown) => {
              log.error({ delivery: r.id, err: describeError(error) }, 'outbox bookkeeping failed')
              return false
            })
            .finally(() => inFlight.delete(r.id)),
        ),
      )
      worked += results.filter(Boolean).length
    }
    return worked
  }

  async function loop(): Promise<void> {
    while (running) {
      const worked = await tick().catch((error: unknown) => {
        log.error({ err: describeError(error) }, 'outbox tick failed')
        return 0
      })
      if (worked > 0 || !running) continue
      const next = await nextDueAt(db).catch(() => undefined)
      const untilDue = next === undefined ? policy.pollMs : new Date(next).getTime() - clock.now().getTime()
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(10, Math.min(policy.pollMs, untilDue)))
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      wake = undefined
    }
  }

  return {
    tick,
    /** Delivers until nothing more is due now (rows waiting for a later retry stay queued). */
    async drain(): Promise<void> {
      while ((await tick()) > 0) {
        /* keep going: each delivered head may uncover the next row of its lane */
      }
    },
    /** Wakes the worker: something was just queued. */
    kick(): void {
      wake?.()
    },
    start(): void {
      if (running) return
      running = true
      loopDone = loop()
    },
    async stop(): Promise<void> {
      running = false
      wake?.()
      await loopDone
    },
  }
}
