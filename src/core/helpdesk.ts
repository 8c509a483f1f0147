import type { Db } from '../db/connection.js'
import { deskUserIdOf, ensureAgent } from '../db/repos/agents.js'
import { upsertContact } from '../db/repos/contacts.js'
import { endDelivery, enqueueDelivery, pendingSendOf } from '../db/repos/deliveries.js'
import { recordEvent } from '../db/repos/events.js'
import { insertMessage } from '../db/repos/messages.js'
import { markProcessed } from '../db/repos/processed-events.js'
import { findTicketByThread, findTicketDetail, latestTicketOf } from '../db/repos/tickets.js'
import type { Agent, Ticket } from '../db/schema.js'
import { createWork, type Origin } from './work.js'

export type { Origin } from './work.js'
import type { Actor } from './actor.js'
import { iso, type Clock } from './clock.js'
import { inert } from './untrusted.js'
import { wellFormed } from './inbound-shape.js'
import { DeskError } from './errors.js'
import { assertTransition, statusAfterCustomerMessage, type AgentStatus } from './lifecycle.js'
import {
  asTicketId,
  channelLabel,
  statusLabel,
  type Channel,
  type TicketId,
  type TicketStatus,
} from './model.js'
import type {
  ChannelTraits,
  DeliveryStatusUpdate,
  DeskNotice,
  InboundMessage,
  TemplateMessage,
  ThreadRef,
  TicketView,
} from './ports.js'
import { toTicketView } from './views.js'
import type { BusinessHours } from './hours.js'
import { pickAgent, type AssignmentPolicy } from './assignment.js'
import { applyRules } from './rules.js'
import { textFor } from './templates.js'
import { fillTemplate, type CustomerTexts } from './texts.js'

/** The agent who acts, by their desk (Slack) user id. */
export type { Actor }

/** What an action did, in words for the agent who asked. */
export interface Outcome {
  readonly ticketId: TicketId
  readonly text: string
}

export interface HelpDeskDeps {
  readonly db: Db
  readonly clock: Clock
  readonly texts: CustomerTexts
  /** Business hours: customers who write while the team is away are told when it is back. */
  readonly hours?: BusinessHours
  /** Auto-assignment of new tickets; off when absent. */
  readonly assignment?: AssignmentPolicy
  /** Whether each new ticket's customer is looked up at CUSTOMER_INFO_URL. */
  readonly lookUpCustomers?: boolean
  /** What each enabled channel allows (reply windows, templates). */
  readonly traits?: ReadonlyMap<Channel, ChannelTraits>
  /** Called after a transaction queued deliveries, so the outbox can start at once. */
  readonly onQueued?: () => void
  /** REPLY_DELAY_S: how long a reply typed in a thread waits, so deleting it in Slack takes it back. */
  readonly replyDelayMs?: number
}

/** The reactions that show a typed reply's undo window: waiting, then sent. */
export const UNDO_WAITING = 'hourglass_flowing_sand'
export const UNDO_SENT = 'white_check_mark'

export type HelpDesk = ReturnType<typeof createHelpDesk>

type Tx = Db

const SUBJECT_MAX = 120

const statusRank = { none: 0, sent: 1, delivered: 2, read: 3, failed: 4, cancelled: 5 } as const

/**
 * The ticket operations of threaddesk. Every operation is one transaction: the change, its audit
 * events and the deliveries it causes are stored together or not at all.
 */
export function createHelpDesk(deps: HelpDeskDeps) {
  const { db, texts } = deps

  const { inTransaction, claimOnce, requireTicket } = createWork(deps)

  async function changeStatus(
    tx: Tx,
    ticket: Ticket,
    to: TicketStatus,
    who: { actor: 'agent' | 'customer' | 'system'; agentId?: number },
    now: string,
  ): Promise<void> {
    await tx
      .updateTable('tickets')
      .set({
        status: to,
        updated_at: now,
        solved_at: to === 'solved' ? now : to === 'closed' ? ticket.solved_at : null,
        closed_at: to === 'closed' ? now : null,
      })
      .where('id', '=', ticket.id)
      .execute()
    await recordEvent(
      tx,
      {
        ticketId: ticket.id,
        actor: who.actor,
        agentId: who.agentId ?? null,
        action: 'status',
        from: ticket.status,
        to,
      },
      now,
    )
  }

  /**
   * When the customer wrote, by the platform's clock: reply windows count from there, not from when
   * the message reached us (a backlog delivered late must not stretch them). Never in the future.
   */
  function writtenAt(msg: InboundMessage, now: string): string {
    const sent = msg.sentAt.getTime()
    return Number.isFinite(sent) && sent < new Date(now).getTime() ? iso(msg.sentAt) : now
  }

  async function openTicket(
    tx: Tx,
    msg: InboundMessage,
    contactId: number,
    previous: Ticket | undefined,
    now: string,
  ) {
    const subject = msg.text.trim().slice(0, SUBJECT_MAX) || `[${msg.kind}]`
    const ticket = await tx
      .insertInto('tickets')
      .values({
        contact_id: contactId,
        channel: msg.channel,
        status: 'new',
        subject,
        follow_up_of: previous?.id ?? null,
        created_at: now,
        updated_at: now,
        last_customer_message_at: writtenAt(msg, now),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordEvent(
      tx,
      {
        ticketId: ticket.id,
        actor: 'customer',
        action: 'created',
        to: 'new',
        from: previous === undefined ? null : `follow-up of #${previous.id}`,
      },
      now,
    )
    await enqueueDelivery(tx, ticket.id, { type: 'desk.open' }, now)
    if (deps.lookUpCustomers === true) await enqueueDelivery(tx, ticket.id, { type: 'customer.info' }, now)
    return ticket
  }

  async function sendAutomatic(tx: Tx, ticketId: number, text: string, now: string): Promise<void> {
    const message = await insertMessage(tx, {
      ticket_id: ticketId,
      direction: 'outbound',
      kind: 'text',
      text,
      created_at: now,
    })
    await enqueueDelivery(tx, ticketId, { type: 'customer.message', messageId: message.id }, now)
    await enqueueDelivery(tx, ticketId, { type: 'desk.entry', messageId: message.id }, now)
  }

  /** Stores an agent's reply or note with its audit event; echoes it into the thread unless it was typed there. */
  async function addAgentMessage(
    tx: Tx,
    ticketId: number,
    agentId: number,
    direction: 'outbound' | 'note',
    text: string,
    origin: Origin | undefined,
    now: string,
    template?: TemplateMessage,
  ) {
    const message = await insertMessage(tx, {
      ticket_id: ticketId,
      direction,
      kind: template === undefined ? 'text' : 'template',
      template: template === undefined ? null : JSON.stringify(template),
      text,
      agent_id: agentId,
      desk_ts: origin?.deskTs ?? null,
      created_at: now,
    })
    const action = direction === 'note' ? 'noted' : 'replied'
    await recordEvent(tx, { ticketId, actor: 'agent', agentId, action }, now)
    if (origin?.deskTs === undefined) {
      await enqueueDelivery(tx, ticketId, { type: 'desk.entry', messageId: message.id }, now)
    }
    return message
  }

  /** Refuses, before anything is queued, what the ticket's channel would refuse. */
  function assertSendable(ticket: Ticket, isTemplate: boolean, now: string): void {
    const traits = deps.traits?.get(ticket.channel)
    const label = channelLabel[ticket.channel]
    if (isTemplate) {
      if (traits?.templates !== true)
        throw new DeskError('invalid', `${label} has no message templates; send a plain reply.`)
      return
    }
    const window = traits?.replyWindowMs
    const last = ticket.last_customer_message_at
    if (window === undefined || last === null || Date.parse(now) - Date.parse(last) <= window) return
    const hours = Math.round(window / 3_600_000)
    const span = hours >= 48 && hours % 24 === 0 ? `${hours / 24} days` : `${hours} h`
    const hint =
      traits?.templates === true
        ? ` Send an approved template instead: \`/template ${ticket.id} NAME [params…]\`.`
        : ''
    throw new DeskError(
      'conflict',
      `${label} accepts free-form replies only within ${span} of the customer's last message, so nothing was sent.${hint}`,
    )
  }

  /** The agent reply a thread post is, and its send while that has not started yet. */
  async function pendingReplyAt(tx: Tx, post: ThreadRef, now: string) {
    const message = await tx
      .selectFrom('messages')
      .innerJoin('tickets', 'tickets.id', 'messages.ticket_id')
      .selectAll('messages')
      .where('tickets.thread_channel', '=', post.channel)
      .where('messages.desk_ts', '=', post.ts)
      .where('messages.direction', '=', 'outbound')
      .executeTakeFirst()
    if (message === undefined) return undefined
    return { message, send: await pendingSendOf(tx, message.ticket_id, message.id, now) }
  }

  async function sendToCustomer(
    actor: Actor,
    ticketId: number,
    content: { text: string; template?: TemplateMessage },
    origin: Origin | undefined,
  ): Promise<Outcome> {
    return inTransaction(async (tx, now) => {
      await claimOnce(tx, origin, now)
      const ticket = await requireTicket(tx, ticketId)
      if (ticket.status === 'closed') {
        throw new DeskError(
          'conflict',
          `Ticket #${ticket.id} is closed, so nothing was sent; the customer's next message opens a follow-up ticket.`,
        )
      }
      assertSendable(ticket, content.template !== undefined, now)
      const agent = await ensureAgent(tx, actor.deskUserId, now)
      const message = await addAgentMessage(
        tx,
        ticket.id,
        agent.id,
        'outbound',
        content.text,
        origin,
        now,
        content.template,
      )
      // A reply typed in the thread waits out the undo window, marked ⏳, unless the window is off.
      const delayMs = origin?.deskTs !== undefined ? (deps.replyDelayMs ?? 0) : 0
      const dueAt = iso(new Date(new Date(now).getTime() + delayMs))
      await enqueueDelivery(tx, ticket.id, { type: 'customer.message', messageId: message.id }, now, dueAt)
      if (delayMs > 0) {
        await enqueueDelivery(
          tx,
          ticket.id,
          { type: 'desk.react', messageId: message.id, reaction: UNDO_WAITING },
          now,
        )
      }

      let changed = false
      if (ticket.assignee_id === null) {
        await assignTo(tx, ticket, agent, agent, now)
        changed = true
      }
      if (ticket.status === 'new') {
        await changeStatus(tx, ticket, 'open', { actor: 'agent', agentId: agent.id }, now)
        changed = true
      }
      await tx
        .updateTable('tickets')
        .set({
          first_response_at: ticket.first_response_at ?? now,
          awaiting_reply_since: null,
          updated_at: now,
        })
        .where('id', '=', ticket.id)
        .execute()
      if (changed) await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
      const what = content.template === undefined ? 'Reply' : `Template ${content.template.name}`
      return {
        ticketId: asTicketId(ticket.id),
        text: `${what} queued for the customer of ticket #${ticket.id}.`,
      }
    })
  }

  /** Records a message that did not reach the customer, and says so in the thread. */
  async function markUndelivered(
    tx: Tx,
    ticketId: number,
    what: string,
    reason: string,
    now: string,
  ): Promise<void> {
    await recordEvent(tx, { ticketId, actor: 'system', action: 'delivery_failed', to: reason }, now)
    await postSystemLine(tx, ticketId, `:warning: ${what} could not be delivered: ${inert(reason)}`, now)
  }

  /**
   * The out-of-hours line for a customer who writes while the team is away, once per ticket per
   * closed period (the period is named by the moment the team opens again).
   */
  async function awayNotice(
    tx: Tx,
    ticketId: number,
    language: string | null,
    now: string,
  ): Promise<string | undefined> {
    const { hours } = deps
    if (hours === undefined || hours.isOpen(new Date(now))) return undefined
    const opens = hours.nextOpening(new Date(now))
    const period = opens.toISOString()
    const told = await tx
      .selectFrom('events')
      .select('id')
      .where('ticket_id', '=', ticketId)
      .where('action', '=', 'after_hours_reply')
      .where('to_value', '=', period)
      .executeTakeFirst()
    if (told !== undefined) return undefined
    await recordEvent(tx, { ticketId, actor: 'system', action: 'after_hours_reply', to: period }, now)
    return fillTemplate(await textFor(tx, 'afterHours', language, texts), {
      'business.opens': hours.format(opens),
    })
  }

  /** Records a system event unless one with the same action and value exists; false when it did. */
  async function recordOnce(
    tx: Tx,
    ticketId: number,
    action: string,
    value: string,
    now: string,
  ): Promise<boolean> {
    const seen = await tx
      .selectFrom('events')
      .select('id')
      .where('ticket_id', '=', ticketId)
      .where('action', '=', action)
      .where('to_value', '=', value)
      .executeTakeFirst()
    if (seen !== undefined) return false
    await recordEvent(tx, { ticketId, actor: 'system', action, to: value }, now)
    return true
  }

  /**
   * Gives a ticket to the next agent on shift (round-robin, within capacity and the rules' group),
   * or leaves it unassigned when nobody can take it. Returns the agent's desk user id.
   */
  async function autoAssign(
    tx: Tx,
    ticket: Ticket,
    now: string,
    except?: number,
  ): Promise<string | undefined> {
    const policy = deps.assignment
    if (policy === undefined) return undefined
    const agent = await pickAgent(tx, policy, ticket, except)
    if (agent === undefined && ticket.assignee_id === null) return undefined
    await assignTo(tx, ticket, agent ?? null, null, now)
    if (agent !== undefined) {
      await tx.updateTable('agents').set({ last_assigned_at: now }).where('id', '=', agent.id).execute()
      if (ticket.status === 'new') await changeStatus(tx, ticket, 'open', { actor: 'system' }, now)
    }
    await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
    return agent?.desk_user_id
  }

  /** Puts a line into the ticket's thread that only agents see. */
  async function postSystemLine(tx: Tx, ticketId: number, text: string, now: string): Promise<void> {
    const message = await insertMessage(tx, {
      ticket_id: ticketId,
      direction: 'system',
      kind: 'text',
      text,
      created_at: now,
    })
    await enqueueDelivery(tx, ticketId, { type: 'desk.entry', messageId: message.id }, now)
  }

  return {
    /** The ticket whose thread this is, if any. */
    async ticketOfThread(ref: ThreadRef): Promise<TicketId | undefined> {
      const ticket = await findTicketByThread(db, ref.channel, ref.ts)
      return ticket === undefined ? undefined : asTicketId(ticket.id)
    },

    /** A ticket as agents see it; throws `not_found` for an unknown number. */
    async view(ticketId: number): Promise<TicketView> {
      const detail = await findTicketDetail(db, ticketId)
      if (detail === undefined) throw new DeskError('not_found', `Ticket #${ticketId} does not exist.`)
      return toTicketView(detail)
    },

    /**
     * Stores a customer's message: finds or creates the contact, appends to their live ticket or
     * opens one (a follow-up when the last one is closed), and queues what Slack and the customer
     * should see. A redelivered message changes nothing.
     */
    async receive(raw: InboundMessage): Promise<{ ticketId: TicketId | null; duplicate: boolean }> {
      const msg = wellFormed(raw)
      return inTransaction(async (tx, now) => {
        if (!(await markProcessed(tx, msg.channel, msg.externalId, now))) {
          return { ticketId: null, duplicate: true }
        }
        const contact = await upsertContact(tx, msg.channel, msg.contact, now)
        const latest = await latestTicketOf(tx, contact.id)
        const live = latest !== undefined && latest.status !== 'closed' ? latest : undefined

        if (msg.kind === 'start') {
          // A conversation opened without a question: greet, open nothing.
          if (live !== undefined) return { ticketId: asTicketId(live.id), duplicate: false }
          const greeting = await textFor(tx, 'greeting', contact.language, texts)
          const text = fillTemplate(greeting, { 'customer.name': contact.display_name })
          await enqueueDelivery(
            tx,
            null,
            { type: 'customer.direct', channel: msg.channel, to: contact.external_id, text },
            now,
          )
          return { ticketId: null, duplicate: false }
        }

        const ticket = live ?? (await openTicket(tx, msg, contact.id, latest, now))
        if (live === undefined) {
          // Rules first: the type they set may route the ticket to an assignment group.
          await applyRules(
            tx,
            ticket,
            { text: msg.text, channel: msg.channel, language: contact.language },
            now,
          )
          // Read again only when assigning: the rules may have set the type that routes it.
          if (deps.assignment !== undefined) await autoAssign(tx, await requireTicket(tx, ticket.id), now)
        }
        const message = await insertMessage(tx, {
          ticket_id: ticket.id,
          direction: 'inbound',
          kind: msg.kind,
          text: msg.text,
          external_id: msg.externalId,
          created_at: now,
        })
        await enqueueDelivery(tx, ticket.id, { type: 'desk.entry', messageId: message.id }, now)

        const away = await awayNotice(tx, ticket.id, contact.language, now)
        if (live === undefined) {
          const text = fillTemplate(await textFor(tx, 'ticketOpened', contact.language, texts), {
            'ticket.number': String(ticket.id),
            'customer.name': contact.display_name,
          })
          await sendAutomatic(tx, ticket.id, away === undefined ? text : `${text} ${away}`, now)
        } else {
          if (away !== undefined) await sendAutomatic(tx, ticket.id, away, now)
          const next = statusAfterCustomerMessage(live.status)
          if (next !== live.status) {
            await changeStatus(tx, live, next, { actor: 'customer' }, now)
            await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
          }
          await tx
            .updateTable('tickets')
            .set({
              last_customer_message_at: writtenAt(msg, now),
              updated_at: now,
              // After an agent's answer, the customer's next message starts the next-response clock.
              awaiting_reply_since:
                live.first_response_at === null ? null : (live.awaiting_reply_since ?? now),
            })
            .where('id', '=', ticket.id)
            .execute()
        }
        return { ticketId: asTicketId(ticket.id), duplicate: false }
      })
    },

    /** Sends an agent's reply to the customer. The first reply takes an unassigned ticket and opens it. */
    async reply(actor: Actor, ticketId: number, text: string, origin?: Origin): Promise<Outcome> {
      const body = text.trim()
      if (body === '') throw new DeskError('invalid', 'Nothing to send: the reply is empty.')
      return sendToCustomer(actor, ticketId, { text: body }, origin)
    },

    /** Sends a pre-approved template, which also reaches a customer outside the reply window. */
    async sendTemplate(
      actor: Actor,
      ticketId: number,
      template: TemplateMessage,
      origin?: Origin,
    ): Promise<Outcome> {
      if (!/^[a-z0-9_]+$/.test(template.name)) {
        throw new DeskError(
          'invalid',
          `\`${template.name}\` is not a template name (lowercase letters, digits and _).`,
        )
      }
      const params = template.params.length === 0 ? '' : ` ${template.params.join(' · ')}`
      return sendToCustomer(
        actor,
        ticketId,
        { text: `[template ${template.name}]${params}`, template },
        origin,
      )
    },

    /** Adds a private note: stored and shown to agents, never sent to the customer. */
    /**
     * An agent deleted a reply they typed in a thread: if it is still in its undo window, it never
     * leaves. Returns what happened, so the agent can be told when it was too late.
     */
    async withdrawReply(post: ThreadRef): Promise<'withdrawn' | 'too_late' | 'not_a_reply'> {
      return inTransaction(async (tx, now) => {
        const found = await pendingReplyAt(tx, post, now)
        if (found === undefined) return 'not_a_reply'
        const { message, send } = found
        if (send === undefined) return 'too_late'
        await endDelivery(tx, send, { status: 'cancelled' }, now)
        await tx
          .updateTable('messages')
          .set({ delivery_status: 'cancelled' })
          .where('id', '=', message.id)
          .execute()
        await recordEvent(
          tx,
          {
            ticketId: message.ticket_id,
            actor: 'agent',
            agentId: message.agent_id,
            action: 'reply_withdrawn',
          },
          now,
        )
        return 'withdrawn'
      })
    },

    /** An agent edited a reply still in its undo window: the edited text is what leaves. */
    async reviseReply(post: ThreadRef, text: string): Promise<'revised' | 'too_late' | 'not_a_reply'> {
      return inTransaction(async (tx, now) => {
        const found = await pendingReplyAt(tx, post, now)
        if (found === undefined) return 'not_a_reply'
        if (found.send === undefined) return 'too_late'
        if (found.message.text === text) return 'revised'
        await tx.updateTable('messages').set({ text }).where('id', '=', found.message.id).execute()
        await recordEvent(
          tx,
          {
            ticketId: found.message.ticket_id,
            actor: 'agent',
            agentId: found.message.agent_id,
            action: 'reply_edited',
          },
          now,
        )
        return 'revised'
      })
    },

    async note(actor: Actor, ticketId: number, text: string, origin?: Origin): Promise<Outcome> {
      const body = text.trim()
      if (body === '') throw new DeskError('invalid', 'The note is empty; write something after the marker.')
      return inTransaction(async (tx, now) => {
        await claimOnce(tx, origin, now)
        const ticket = await requireTicket(tx, ticketId)
        const agent = await ensureAgent(tx, actor.deskUserId, now)
        await addAgentMessage(tx, ticket.id, agent.id, 'note', body, origin, now)
        return { ticketId: asTicketId(ticket.id), text: `Private note added to ticket #${ticket.id}.` }
      })
    },

    /** Assigns a ticket. Anyone may take a ticket; only supervisors and admins assign others. */
    async assign(
      actor: Actor,
      ticketId: number,
      assigneeDeskUserId: string,
      origin?: Origin,
    ): Promise<Outcome> {
      return inTransaction(async (tx, now) => {
        await claimOnce(tx, origin, now)
        const ticket = await requireTicket(tx, ticketId)
        const agent = await ensureAgent(tx, actor.deskUserId, now)
        const self = assigneeDeskUserId === actor.deskUserId
        if (!self && agent.role === 'agent') {
          throw new DeskError(
            'forbidden',
            `Only supervisors and admins can assign a ticket to someone else. To take ticket #${ticket.id} yourself, use \`!take\` in its thread or \`/assign ${ticket.id} @you\`.`,
          )
        }
        if (ticket.status === 'closed') {
          throw new DeskError('conflict', `Ticket #${ticket.id} is closed and cannot be assigned.`)
        }
        const assignee = await ensureAgent(tx, assigneeDeskUserId, now)
        if (ticket.assignee_id === assignee.id) {
          throw new DeskError(
            'conflict',
            `Ticket #${ticket.id} is already assigned to <@${assigneeDeskUserId}>.`,
          )
        }
        await assignTo(tx, ticket, assignee, agent, now)
        if (ticket.status === 'new')
          await changeStatus(tx, ticket, 'open', { actor: 'agent', agentId: agent.id }, now)
        await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
        const whom = self ? 'you' : `<@${assigneeDeskUserId}>`
        return { ticketId: asTicketId(ticket.id), text: `Ticket #${ticket.id} is now assigned to ${whom}.` }
      })
    },

    /** Moves a ticket along the lifecycle on an agent's word: resolve, pending, on hold, reopen. */
    async setStatus(actor: Actor, ticketId: number, to: AgentStatus, origin?: Origin): Promise<Outcome> {
      return inTransaction(async (tx, now) => {
        await claimOnce(tx, origin, now)
        const ticket = await requireTicket(tx, ticketId)
        assertTransition(ticket.id, ticket.status, to)
        const agent = await ensureAgent(tx, actor.deskUserId, now)
        await changeStatus(tx, ticket, to, { actor: 'agent', agentId: agent.id }, now)
        await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
        const verb = to === 'open' ? 'reopened' : `now ${statusLabel[to].toLowerCase()}`
        return { ticketId: asTicketId(ticket.id), text: `Ticket #${ticket.id} is ${verb}.` }
      })
    },

    /**
     * Puts an agent on or off shift. Auto-assignment gives new tickets only to agents on shift;
     * going off shift hands their new and open tickets to others, when so configured.
     */
    async setShift(actor: Actor, on: boolean): Promise<string> {
      return inTransaction(async (tx, now) => {
        const agent = await ensureAgent(tx, actor.deskUserId, now)
        await tx
          .updateTable('agents')
          .set({ on_shift: on ? 1 : 0 })
          .where('id', '=', agent.id)
          .execute()
        if (on) return 'You are on shift: new tickets can be assigned to you.'
        if (deps.assignment?.reassignOnShiftOff !== true)
          return 'You are off shift: no new tickets will be assigned to you.'
        const mine = await tx
          .selectFrom('tickets')
          .selectAll()
          .where('assignee_id', '=', agent.id)
          .where('status', 'in', ['new', 'open'])
          .orderBy('id')
          .execute()
        let handedOver = 0
        for (const ticket of mine)
          if ((await autoAssign(tx, ticket, now, agent.id)) !== undefined) handedOver += 1
        const left = mine.length - handedOver
        return `You are off shift. ${handedOver} of your open tickets went to others${left === 0 ? '' : `; ${left} are unassigned, as nobody else could take them`}.`
      })
    },

    /** Closes a solved ticket for good (automation). */
    async close(ticketId: number): Promise<void> {
      await inTransaction(async (tx, now) => {
        const ticket = await requireTicket(tx, ticketId)
        assertTransition(ticket.id, ticket.status, 'closed')
        await changeStatus(tx, ticket, 'closed', { actor: 'system' }, now)
        await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
      })
    },

    /** Records that a delivery failed for good, where the agents of the ticket will see it. */
    async reportUndelivered(ticketId: number, what: string, reason: string): Promise<void> {
      await inTransaction((tx, now) => markUndelivered(tx, ticketId, what, reason, now))
    },

    /**
     * Applies a platform's report on a sent message: delivered and read mark the reply in its
     * thread, a failure is said there with the platform's reason. Reports never move backwards.
     */
    async deliveryStatus(update: DeliveryStatusUpdate): Promise<void> {
      await inTransaction(async (tx, now) => {
        const message = await tx
          .selectFrom('messages')
          .innerJoin('tickets', 'tickets.id', 'messages.ticket_id')
          .select(['messages.id', 'messages.ticket_id', 'messages.delivery_status'])
          .where('messages.external_id', '=', update.externalMessageId)
          .where('messages.direction', '=', 'outbound')
          .where('tickets.channel', '=', update.channel)
          .executeTakeFirst()
        if (message === undefined) return
        if (statusRank[update.status] <= statusRank[message.delivery_status ?? 'none']) return
        await tx
          .updateTable('messages')
          .set({ delivery_status: update.status })
          .where('id', '=', message.id)
          .execute()
        if (update.status === 'failed') {
          const what = `A message to the customer on ${channelLabel[update.channel]}`
          await markUndelivered(tx, message.ticket_id, what, update.reason ?? 'no reason given', now)
        } else if (update.status !== 'sent') {
          const reaction = update.status === 'read' ? 'eyes' : 'white_check_mark'
          await enqueueDelivery(
            tx,
            message.ticket_id,
            { type: 'desk.react', messageId: message.id, reaction },
            now,
          )
        }
      })
    },

    /**
     * Says an SLA alert in the ticket's thread, once: `key` names the clock's run (a clock and
     * when it started), so each run warns once and breaches once.
     */
    async slaAlert(
      ticketId: number,
      level: 'warning' | 'breach',
      key: string,
      text: string,
    ): Promise<boolean> {
      return inTransaction(async (tx, now) => {
        if (!(await recordOnce(tx, ticketId, `sla_${level}`, key, now))) return false
        await postSystemLine(tx, ticketId, text, now)
        await enqueueDelivery(tx, ticketId, { type: 'desk.update' }, now)
        return true
      })
    },

    /** Reminds the customer of a pending ticket, once per time it went pending. */
    async remindPending(ticketId: number, pendingSince: string): Promise<boolean> {
      return inTransaction(async (tx, now) => {
        const ticket = await requireTicket(tx, ticketId)
        if (ticket.status !== 'pending') return false
        if (!(await recordOnce(tx, ticketId, 'pending_reminder', pendingSince, now))) return false
        const contact = await tx
          .selectFrom('contacts')
          .select(['language', 'display_name'])
          .where('id', '=', ticket.contact_id)
          .executeTakeFirst()
        const reminder = await textFor(tx, 'pendingReminder', contact?.language ?? null, texts)
        const vars = { 'ticket.number': String(ticketId), 'customer.name': contact?.display_name ?? '' }
        await sendAutomatic(tx, ticketId, fillTemplate(reminder, vars), now)
        return true
      })
    },

    /** Solves a ticket that waited too long for the customer; says why in the thread. */
    async autoSolve(ticketId: number, why: string): Promise<boolean> {
      return inTransaction(async (tx, now) => {
        const ticket = await requireTicket(tx, ticketId)
        if (ticket.status !== 'pending') return false
        await changeStatus(tx, ticket, 'solved', { actor: 'system' }, now)
        await postSystemLine(tx, ticketId, `:robot_face: Solved automatically: ${why}`, now)
        await enqueueDelivery(tx, ticketId, { type: 'desk.update' }, now)
        return true
      })
    },

    /** Queues a notice once per (job, period): a digest that already went out is not sent again. */
    async notifyOnce(job: string, period: string, notice: DeskNotice): Promise<boolean> {
      return inTransaction(async (tx, now) => {
        const claimed = await tx
          .insertInto('job_runs')
          .values({ job, period, ran_at: now })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst()
        if (claimed.numInsertedOrUpdatedRows !== 1n) return false
        await enqueueDelivery(tx, null, { type: 'desk.notice', text: notice.text }, now)
        return true
      })
    },

    /** Queues a notice for the support channel. */
    async notify(notice: DeskNotice): Promise<void> {
      await inTransaction(async (tx, now) => {
        const image = notice.image && {
          filename: notice.image.filename,
          pngBase64: notice.image.png.toString('base64'),
        }
        await enqueueDelivery(
          tx,
          null,
          { type: 'desk.notice', text: notice.text, ...(image && { image }) },
          now,
        )
      })
    },
  }

  /** Sets (or clears) a ticket's assignee and records who did it: an agent, or the system when `by` is null. */
  async function assignTo(
    tx: Tx,
    ticket: Ticket,
    assignee: Pick<Agent, 'id' | 'desk_user_id'> | null,
    by: Agent | null,
    now: string,
  ): Promise<void> {
    await tx
      .updateTable('tickets')
      .set({ assignee_id: assignee?.id ?? null, updated_at: now })
      .where('id', '=', ticket.id)
      .execute()
    await recordEvent(
      tx,
      {
        ticketId: ticket.id,
        actor: by === null ? 'system' : 'agent',
        agentId: by?.id ?? null,
        action: 'assigned',
        from: await deskUserIdOf(tx, ticket.assignee_id),
        to: assignee?.desk_user_id ?? null,
      },
      now,
    )
  }
}
