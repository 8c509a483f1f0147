import { ensureAgent, agentStanding } from '../db/repos/agents.js'
import { findContact, upsertContact } from '../db/repos/contacts.js'
import { enqueueDelivery } from '../db/repos/deliveries.js'
import { recordEvent } from '../db/repos/events.js'
import { forgetAnswers, storeAnswer, storedAnswer } from '../db/repos/api-idempotency.js'
import {
  findContactByExternalId,
  publicMessagesOf,
  setContactMetadata,
  ticketIdsOfContact,
} from '../db/repos/api-tickets.js'
import { insertMessage } from '../db/repos/messages.js'
import { ticketIdsOf, type TicketFilter } from '../db/repos/ticket-list.js'
import { addTag, removeTag } from '../db/repos/ticket-tags.js'
import {
  classifyTicket,
  createTicket,
  findTicketDetail,
  setCustomerWrote,
  setTicketField,
} from '../db/repos/tickets.js'
import type { Db } from '../db/connection.js'
import type { Ticket } from '../db/schema.js'
import type { ApiCaller } from './api-keys.js'
import { contactDetails, toApiMessage, toApiTicket, type ApiMessage, type ApiTicket } from './api-shapes.js'
import type { HelpDeskDeps } from './desk-deps.js'
import { DeskError } from './errors.js'
import { assertTransition, statusAfterCustomerMessage, type AgentStatus } from './lifecycle.js'
import type { Channel, Priority } from './model.js'
import { applyRules } from './rules.js'
import { textFor } from './templates.js'
import { fillTemplate } from './texts.js'
import { createTicketSteps } from './ticket-steps.js'
import { emitTicketEvent } from './webhook-events.js'
import { createWork } from './work.js'

/** The channel of tickets opened through the API. */
export const API_CHANNEL: Channel = 'api'

const SUBJECT_MAX = 120
const IDEMPOTENCY_MS = 24 * 60 * 60_000

export interface NewTicket {
  readonly contact: {
    readonly externalId: string
    readonly name: string
    readonly email?: string | undefined
    readonly phone?: string | undefined
  }
  readonly message: string
  readonly subject?: string | undefined
  readonly priority?: Priority | undefined
  readonly type?: string | undefined
  readonly tags?: readonly string[] | undefined
  readonly language?: string | undefined
}

export interface TicketChange {
  readonly status?: AgentStatus | undefined
  readonly priority?: Priority | undefined
  readonly type?: string | null | undefined
  readonly tags?: readonly string[] | undefined
  readonly assignee?: string | null | undefined
}

/** A request sent with an Idempotency-Key: the key, and a hash of what was asked. */
export interface Idempotency {
  readonly key: string
  readonly requestHash: string
}

/** An answer to a POST: its status and body, replayed as they were for the same Idempotency-Key. */
export interface Answer<T> {
  readonly status: number
  readonly body: T
  /** True when this is the first answer again (the request was made before). */
  readonly replayed: boolean
}

export interface TicketWithMessages extends ApiTicket {
  readonly messages: readonly ApiMessage[]
}

const invalid = (field: string, message: string) =>
  new DeskError('invalid', message, { detail: { kind: 'invalid_field', field } })

/**
 * The API's tickets: a site opens them for its customers and adds their messages; keys that may
 * read see tickets and their public messages, never notes; admin keys change them. Each write is
 * one transaction with its audit events, deliveries, webhook events and idempotency record.
 */
export function createApiTickets(deps: HelpDeskDeps & { readonly types: readonly string[] }) {
  const { db, clock, texts } = deps
  const work = createWork(deps)
  const steps = createTicketSteps(deps)

  async function ticketOf(tx: Db, id: number): Promise<ApiTicket> {
    const detail = await findTicketDetail(tx, id)
    const contact = detail === undefined ? undefined : await findContact(tx, detail.contact_id)
    if (detail === undefined || contact === undefined)
      throw new DeskError('not_found', `Ticket ${id} does not exist.`)
    return toApiTicket(detail, contact)
  }

  /**
   * Runs a POST's work once per Idempotency-Key: the same key and request within a day answers the
   * first answer again and does nothing; the same key with another request is refused.
   */
  async function once<T>(
    caller: ApiCaller,
    idempotency: Idempotency | undefined,
    status: number,
    work_: (tx: Db, now: string) => Promise<T>,
  ): Promise<Answer<T>> {
    // Shared with the requests that arrive meanwhile (group commit): a commit for each request
    // cost a site's burst of new tickets three times their work.
    const attempt = () =>
      work.inSharedTransaction(async (tx, now) => {
        const since = new Date(new Date(now).getTime() - IDEMPOTENCY_MS).toISOString()
        if (idempotency !== undefined) {
          const stored = await storedAnswer(tx, caller.keyId, idempotency.key, since)
          if (stored !== undefined) {
            if (stored.requestHash !== idempotency.requestHash) {
              throw new DeskError(
                'conflict',
                'This Idempotency-Key was used with another request; use a new key for a new request.',
                { detail: { kind: 'idempotency_key_reused' } },
              )
            }
            return { status: stored.status, body: JSON.parse(stored.body) as T, replayed: true }
          }
        }
        const body = await work_(tx, now)
        if (idempotency !== undefined) {
          await storeAnswer(
            tx,
            {
              keyId: caller.keyId,
              idempotencyKey: idempotency.key,
              requestHash: idempotency.requestHash,
              status,
              body: JSON.stringify(body),
            },
            now,
            since,
          )
        }
        return { status, body, replayed: false }
      })
    try {
      return await attempt()
    } catch (error) {
      // A request racing this one stored the key first (its insert won): answer as it did.
      if (idempotency === undefined || error instanceof DeskError) throw error
      const since = new Date(clock.now().getTime() - IDEMPOTENCY_MS).toISOString()
      if ((await storedAnswer(db, caller.keyId, idempotency.key, since)) === undefined) throw error
      return attempt()
    }
  }

  function checkType(type: string | null | undefined): void {
    if (type !== undefined && type !== null && !deps.types.includes(type))
      throw invalid('type', `\`${type}\` is not a ticket type; choose ${deps.types.join(', ')}.`)
  }

  async function receiveMessage(tx: Db, ticket: Ticket, text: string, now: string): Promise<ApiMessage> {
    const message = await insertMessage(tx, {
      ticket_id: ticket.id,
      direction: 'inbound',
      kind: 'text',
      text,
      created_at: now,
    })
    await enqueueDelivery(tx, ticket.id, { type: 'desk.entry', messageId: message.id }, now)
    await emitTicketEvent(tx, 'message.created', ticket.id, now, { message })
    return toApiMessage(message)
  }

  return {
    /** Opens a ticket for a site's customer with their first message. */
    async create(caller: ApiCaller, input: NewTicket, idempotency?: Idempotency): Promise<Answer<ApiTicket>> {
      checkType(input.type)
      return once(caller, idempotency, 201, async (tx, now) => {
        const { contact: c } = input
        const contact = await upsertContact(
          tx,
          API_CHANNEL,
          {
            externalId: c.externalId,
            displayName: c.name,
            ...(input.language !== undefined && { language: input.language }),
          },
          now,
        )
        if (c.email !== undefined || c.phone !== undefined) {
          const details = {
            ...contactDetails(contact),
            ...(c.email !== undefined && { email: c.email }),
            ...(c.phone !== undefined && { phone: c.phone }),
          }
          await setContactMetadata(tx, contact.id, JSON.stringify(details))
        }
        const text = input.message.trim()
        const subject = input.subject?.trim() || text.slice(0, SUBJECT_MAX)
        const ticket = await createTicket(
          tx,
          {
            contactId: contact.id,
            channel: API_CHANNEL,
            subject,
            followUpOf: null,
            lastCustomerMessageAt: now,
          },
          now,
        )
        await recordEvent(tx, { ticketId: ticket.id, actor: 'customer', action: 'created', to: 'new' }, now)
        await enqueueDelivery(tx, ticket.id, { type: 'desk.open' }, now)
        if (deps.lookUpCustomers === true)
          await enqueueDelivery(tx, ticket.id, { type: 'customer.info' }, now)
        await applyRules(tx, ticket, { text, channel: API_CHANNEL, language: contact.language }, now)
        // What the site says wins over what the rules guessed.
        await classifyTicket(tx, ticket.id, {
          ...(input.priority !== undefined && { priority: input.priority }),
          ...(input.type !== undefined && { type: input.type }),
        })
        for (const tag of input.tags ?? []) await addTag(tx, ticket.id, tag)
        await emitTicketEvent(tx, 'ticket.created', ticket.id, now)
        if (deps.assignment !== undefined)
          await steps.autoAssign(tx, await work.requireTicket(tx, ticket.id), now)
        await receiveMessage(tx, ticket, text, now)
        const opened = fillTemplate(await textFor(tx, 'ticketOpened', contact.language, texts), {
          'ticket.number': String(ticket.id),
          'customer.name': contact.display_name,
        })
        await steps.sendAutomatic(tx, ticket.id, opened, now)
        return ticketOf(tx, ticket.id)
      })
    },

    /** Adds a customer's message to one of the API's tickets; a pending or solved ticket opens again. */
    async addMessage(
      caller: ApiCaller,
      ticketId: number,
      text: string,
      idempotency?: Idempotency,
    ): Promise<Answer<{ ticket: ApiTicket; message: ApiMessage }>> {
      return once(caller, idempotency, 201, async (tx, now) => {
        const ticket = await work.requireTicket(tx, ticketId)
        if (ticket.channel !== API_CHANNEL)
          throw new DeskError('not_found', `Ticket ${ticketId} does not exist among the API's tickets.`)
        if (ticket.status === 'closed')
          throw new DeskError(
            'conflict',
            `Ticket ${ticketId} is closed; open a new ticket for the customer instead.`,
          )
        const message = await receiveMessage(tx, ticket, text.trim(), now)
        const next = statusAfterCustomerMessage(ticket.status)
        if (next !== ticket.status) {
          await steps.changeStatus(tx, ticket, next, { actor: 'customer' }, now)
          await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
        }
        await setCustomerWrote(
          tx,
          ticket.id,
          {
            writtenAt: now,
            awaitingReplySince:
              ticket.first_response_at === null ? null : (ticket.awaiting_reply_since ?? now),
          },
          now,
        )
        return { ticket: await ticketOf(tx, ticket.id), message }
      })
    },

    /** A ticket with its public messages: what the customer wrote and the replies that left. */
    async get(ticketId: number): Promise<TicketWithMessages> {
      const ticket = await ticketOf(db, ticketId)
      const messages = await publicMessagesOf(db, ticketId)
      return { ...ticket, messages: messages.map(toApiMessage) }
    },

    /** A page of the tickets a filter selects, newest first, older than `beforeId` for the next page. */
    async list(
      filter: TicketFilter,
      limit: number,
      beforeId?: number,
    ): Promise<{ tickets: ApiTicket[]; more: boolean }> {
      const { ids, more } = await ticketIdsOf(db, filter, clock.now(), limit, beforeId)
      return { tickets: await Promise.all(ids.map((id) => ticketOf(db, id))), more }
    },

    /** A page of one customer's tickets (by the site's id for them), newest first. */
    async ofContact(
      externalId: string,
      limit: number,
      beforeId?: number,
    ): Promise<{ tickets: ApiTicket[]; more: boolean }> {
      const contact = await findContactByExternalId(db, API_CHANNEL, externalId)
      if (contact === undefined) return { tickets: [], more: false }
      const { ids, more } = await ticketIdsOfContact(db, contact.id, limit, beforeId)
      return { tickets: await Promise.all(ids.map((id) => ticketOf(db, id))), more }
    },

    /**
     * Changes a ticket's status, priority, type, tags or assignee at once, all or nothing; admin keys
     * only. The audit log records the changes as the system's.
     */
    async update(caller: ApiCaller, ticketId: number, change: TicketChange): Promise<ApiTicket> {
      if (caller.role !== 'admin')
        throw new DeskError(
          'forbidden',
          `The key \`${caller.name}\` may not change tickets; an admin key may.`,
        )
      checkType(change.type)
      return work.inTransaction(async (tx, now) => {
        const ticket = await work.requireTicket(tx, ticketId)
        if (ticket.status === 'closed')
          throw new DeskError('conflict', `Ticket ${ticketId} is closed and cannot change.`)
        let changed = false
        if (change.assignee !== undefined) {
          const standing = change.assignee === null ? undefined : await agentStanding(tx, change.assignee)
          if (change.assignee !== null && (standing === undefined || standing.removed_at !== null))
            throw invalid(
              'assignee',
              `\`${change.assignee}\` is not an agent of the desk (a Slack user id such as U0123ABC).`,
            )
          const assignee = change.assignee === null ? null : await ensureAgent(tx, change.assignee, now)
          if ((assignee?.id ?? null) !== ticket.assignee_id) {
            await steps.assignTo(tx, ticket, assignee, null, now)
            changed = true
          }
        }
        for (const field of ['priority', 'type'] as const) {
          const value = change[field]
          if (value === undefined || value === ticket[field]) continue
          await setTicketField(tx, ticket.id, field, value, now)
          await recordEvent(
            tx,
            { ticketId, actor: 'system', action: field, from: ticket[field], to: value },
            now,
          )
          if (field === 'priority')
            await emitTicketEvent(tx, 'ticket.updated', ticket.id, now, {
              changes: { priority: { from: ticket.priority, to: value } },
            })
          changed = true
        }
        if (change.tags !== undefined) {
          const before = new Set((await findTicketDetail(tx, ticket.id))?.tags ?? [])
          const after = new Set(change.tags)
          for (const tag of after) {
            if (before.has(tag) || !(await addTag(tx, ticket.id, tag))) continue
            await recordEvent(tx, { ticketId, actor: 'system', action: 'tag', to: tag }, now)
            changed = true
          }
          for (const tag of before) {
            if (after.has(tag) || !(await removeTag(tx, ticket.id, tag))) continue
            await recordEvent(tx, { ticketId, actor: 'system', action: 'tag', from: tag }, now)
            changed = true
          }
        }
        if (change.status !== undefined && change.status !== ticket.status) {
          assertTransition(ticket.id, ticket.status, change.status)
          await steps.changeStatus(
            tx,
            await work.requireTicket(tx, ticket.id),
            change.status,
            { actor: 'system' },
            now,
          )
          changed = true
        }
        if (changed) await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
        return ticketOf(tx, ticket.id)
      })
    },

    /** Forgets Idempotency-Keys older than a day (a scheduler's chore; stale keys are ignored anyway). */
    forgetOldKeys: (now: Date): Promise<void> =>
      forgetAnswers(db, new Date(now.getTime() - IDEMPOTENCY_MS).toISOString()),
  }
}

export type ApiTickets = ReturnType<typeof createApiTickets>
