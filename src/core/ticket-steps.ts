import type { Db } from '../db/connection.js'
import { deskUserIdOf, markAssigned } from '../db/repos/agents.js'
import { enqueueDelivery } from '../db/repos/deliveries.js'
import { hasEvent, recordEvent } from '../db/repos/events.js'
import { insertMessage } from '../db/repos/messages.js'
import { setAssignee, setTicketStatus } from '../db/repos/tickets.js'
import type { Agent, Ticket } from '../db/schema.js'
import { redactSecrets } from './untrusted.js'
import type { TicketStatus } from './model.js'
import { pickAgent } from './assignment.js'
import type { HelpDeskDeps } from './desk-deps.js'
import { encodeFact, type TicketFact, type Undelivered } from './ticket-facts.js'
import { emitTicketEvent } from './webhook-events.js'

type Tx = Db

/**
 * The steps several callers share: a status change, an assignment, a line in the thread, an
 * automatic message, a failed delivery said where agents see it. Each runs inside the caller's
 * transaction.
 */
export function createTicketSteps(deps: HelpDeskDeps) {
  async function changeStatus(
    tx: Tx,
    ticket: Ticket,
    to: TicketStatus,
    who: { actor: 'agent' | 'customer' | 'system'; agentId?: number },
    now: string,
  ): Promise<void> {
    await setTicketStatus(
      tx,
      ticket.id,
      {
        status: to,
        solvedAt: to === 'solved' ? now : to === 'closed' ? ticket.solved_at : null,
        closedAt: to === 'closed' ? now : null,
      },
      now,
    )
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
    await emitTicketEvent(tx, 'ticket.updated', ticket.id, now, {
      changes: { status: { from: ticket.status, to } },
    })
  }

  /** Sets (or clears) a ticket's assignee and records who did it: an agent, or the system when `by` is null. */
  async function assignTo(
    tx: Tx,
    ticket: Ticket,
    assignee: Pick<Agent, 'id' | 'desk_user_id'> | null,
    by: Agent | null,
    now: string,
  ): Promise<void> {
    await setAssignee(tx, ticket.id, assignee?.id ?? null, now)
    const from = await deskUserIdOf(tx, ticket.assignee_id)
    const to = assignee?.desk_user_id ?? null
    await recordEvent(
      tx,
      {
        ticketId: ticket.id,
        actor: by === null ? 'system' : 'agent',
        agentId: by?.id ?? null,
        action: 'assigned',
        from,
        to,
      },
      now,
    )
    await emitTicketEvent(tx, 'ticket.updated', ticket.id, now, { changes: { assignee: { from, to } } })
  }

  /** Puts a line into the ticket's thread that only agents see: a fact, which the desk words. */
  async function postSystemLine(tx: Tx, ticketId: number, fact: TicketFact, now: string): Promise<void> {
    const message = await insertMessage(tx, {
      ticket_id: ticketId,
      direction: 'system',
      kind: 'text',
      text: encodeFact(fact),
      created_at: now,
    })
    await enqueueDelivery(tx, ticketId, { type: 'desk.entry', messageId: message.id }, now)
  }

  /** Records a system event unless one with the same action and value exists; false when it did. */
  async function recordOnce(
    tx: Tx,
    ticketId: number,
    action: string,
    value: string,
    now: string,
  ): Promise<boolean> {
    if (await hasEvent(tx, ticketId, action, value)) return false
    await recordEvent(tx, { ticketId, actor: 'system', action, to: value }, now)
    return true
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

  /** Records a message that did not reach the customer, and says so in the thread. */
  async function markUndelivered(tx: Tx, ticketId: number, fact: Undelivered, now: string): Promise<void> {
    const { reason } = fact
    await recordEvent(tx, { ticketId, actor: 'system', action: 'delivery_failed', to: reason }, now)
    await postSystemLine(tx, ticketId, { ...fact, reason: redactSecrets(reason) }, now)
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
      await markAssigned(tx, agent.id, now)
      if (ticket.status === 'new') await changeStatus(tx, ticket, 'open', { actor: 'system' }, now)
    }
    await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
    return agent?.desk_user_id
  }

  return { changeStatus, assignTo, postSystemLine, recordOnce, sendAutomatic, markUndelivered, autoAssign }
}

export type TicketSteps = ReturnType<typeof createTicketSteps>
