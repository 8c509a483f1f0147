import type { Db } from '../db/connection.js'
import { ensureAgent } from '../db/repos/agents.js'
import { insertAttachments } from '../db/repos/attachments.js'
import { endDelivery, enqueueDelivery, pendingSendOf } from '../db/repos/deliveries.js'
import { recordEvent } from '../db/repos/events.js'
import { agentReplyAt, insertMessage, setDeliveryStatus, setMessageText } from '../db/repos/messages.js'
import { setAnswered } from '../db/repos/tickets.js'
import type { Ticket } from '../db/schema.js'
import type { Work, Origin } from './work.js'
import type { Actor } from './actor.js'
import { iso } from './clock.js'
import { DeskError } from './errors.js'
import { asTicketId } from './model.js'
import type { FileRef, TemplateMessage, ThreadRef } from './ports.js'
import { attachmentOf, fileRefusal, mimeTypeOf } from './files.js'
import { UNDO_WAITING, type HelpDeskDeps, type Outcome } from './desk-deps.js'
import type { TicketSteps } from './ticket-steps.js'

type Tx = Db

/**
 * What agents say on a ticket: a reply to the customer (with the undo window) or a template, the
 * withdrawal or revision of a reply still in its window, and private notes.
 */
export function createAgentReplies(deps: HelpDeskDeps, work: Work, steps: TicketSteps) {
  const { inTransaction, claimOnce, requireTicket } = work
  const { changeStatus, assignTo } = steps

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
    const label = deps.labelOf?.(ticket.channel) ?? ticket.channel
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

  /**
   * Refuses, before anything is queued, files the desk's limits or the ticket's channel would refuse:
   * the reply is refused whole, so the agent can send it again without them.
   */
  function assertFilesSendable(ticket: Ticket, files: readonly FileRef[]): void {
    if (files.length === 0) return
    const label = deps.labelOf?.(ticket.channel) ?? ticket.channel
    const limits = deps.fileLimits ?? { maxBytes: 25 * 1024 * 1024, types: ['*'] }
    for (const f of files) {
      if (f.ref === '')
        throw new DeskError(
          'invalid',
          `Nothing of that message was sent: Slack did not share ${f.name} with the app.`,
        )
      const refusal = fileRefusal(
        {
          name: f.name,
          mimeType: mimeTypeOf(f.name, f.mimeType),
          ...(f.size !== undefined && { size: f.size }),
        },
        limits,
        { label, traits: deps.traits?.get(ticket.channel)?.files },
      )
      if (refusal !== undefined)
        throw new DeskError('invalid', `Nothing of that message was sent: ${refusal}.`)
    }
  }

  /** The agent reply a thread post is, and its send while that has not started yet. */
  async function pendingReplyAt(tx: Tx, post: ThreadRef, now: string) {
    const message = await agentReplyAt(tx, post)
    if (message === undefined) return undefined
    return { message, send: await pendingSendOf(tx, message.ticket_id, message.id, now) }
  }

  async function sendToCustomer(
    actor: Actor,
    ticketId: number,
    content: { text: string; template?: TemplateMessage; files?: readonly FileRef[] },
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
      assertFilesSendable(ticket, content.files ?? [])
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
      await insertAttachments(
        tx,
        { id: message.id, ticketId: ticket.id, direction: 'outbound' },
        (content.files ?? []).map(attachmentOf),
        now,
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
      await setAnswered(tx, ticket.id, ticket.first_response_at ?? now, now)
      if (changed) await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
      const what = content.template === undefined ? 'Reply' : `Template ${content.template.name}`
      return {
        ticketId: asTicketId(ticket.id),
        text: `${what} queued for the customer of ticket #${ticket.id}.`,
      }
    })
  }

  return {
    /**
     * Sends an agent's reply to the customer, with the files attached to it (the desk's references).
     * The first reply takes an unassigned ticket and opens it.
     */
    async reply(
      actor: Actor,
      ticketId: number,
      text: string,
      origin?: Origin,
      files: readonly FileRef[] = [],
    ): Promise<Outcome> {
      const body = text.trim()
      if (body === '' && files.length === 0)
        throw new DeskError('invalid', 'Nothing to send: the reply is empty.')
      return sendToCustomer(actor, ticketId, { text: body, files }, origin)
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
        await setDeliveryStatus(tx, message.id, 'cancelled')
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
        await setMessageText(tx, found.message.id, text)
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

    /** Adds a private note: stored and shown to agents, never sent to the customer. */
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
  }
}

export type AgentReplies = ReturnType<typeof createAgentReplies>
