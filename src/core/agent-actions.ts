import { ensureAgent, findAgent, setOnShift } from '../db/repos/agents.js'
import type { Agent } from '../db/schema.js'
import { enqueueDelivery } from '../db/repos/deliveries.js'
import { findTicketByThread, findTicketDetail, newAndOpenTicketsOf } from '../db/repos/tickets.js'
import type { Work, Origin } from './work.js'
import type { Actor } from './actor.js'
import { DeskError } from './errors.js'
import { assertTransition, type AgentStatus } from './lifecycle.js'
import { asTicketId, statusLabel, type TicketId } from './model.js'
import type { ThreadRef, TicketView } from './ports.js'
import { toTicketView } from './views.js'
import { createAgentReplies } from './agent-replies.js'
import type { Assignment, HelpDeskDeps, Outcome } from './desk-deps.js'
import type { TicketSteps } from './ticket-steps.js'

/**
 * Refuses to give a ticket to someone who is not an agent: assigning is not a way in; only an
 * admin's `/agents add` or the agent group makes someone an agent.
 */
const notAnAgent = (deskUserId: string) =>
  new DeskError(
    'invalid',
    `${deskUserId} is not an agent of the desk, so tickets cannot be assigned to them. An admin can add them with /agents add.`,
    { detail: { kind: 'not_an_agent', deskUserId } },
  )

/** Whether a ticket may not go to this agent row (none: unless the door vouches for them). */
const refused = (known: Agent | undefined, vouched: boolean): boolean =>
  known === undefined ? !vouched : known.removed_at !== null

/**
 * What agents do on a ticket: what they say (agent-replies.ts), and who has the ticket and where it
 * stands: assign, change status, take shifts; and look a ticket up.
 */
export function createAgentActions(deps: HelpDeskDeps, work: Work, steps: TicketSteps) {
  const { db } = deps
  const { inTransaction, claimOnce, requireTicket } = work
  const { changeStatus, assignTo, autoAssign } = steps
  const vouch = (deskUserId: string) => deps.mayWork?.(deskUserId) ?? Promise.resolve(false)

  return {
    ...createAgentReplies(deps, work, steps),

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

    /** Throws `not_an_agent` unless tickets may be assigned to this person; changes nothing. */
    async checkAssignee(deskUserId: string): Promise<void> {
      const known = await findAgent(db, deskUserId)
      if (refused(known, known === undefined && (await vouch(deskUserId)))) throw notAnAgent(deskUserId)
    },

    /**
     * Assigns a ticket. Anyone may take a ticket; only supervisors and admins assign others, and
     * only to agents.
     */
    async assign(
      actor: Actor,
      ticketId: number,
      assigneeDeskUserId: string,
      origin?: Origin,
    ): Promise<Assignment> {
      const self = assigneeDeskUserId === actor.deskUserId
      // Asked before the transaction: the door may have to ask Slack's directory.
      const vouched = !self && (await vouch(assigneeDeskUserId))
      return inTransaction(async (tx, now) => {
        await claimOnce(tx, origin, now)
        const ticket = await requireTicket(tx, ticketId)
        const agent = await ensureAgent(tx, actor.deskUserId, now)
        if (!self && agent.role === 'agent') {
          throw new DeskError(
            'forbidden',
            `Only supervisors and admins can assign a ticket to someone else. To take ticket #${ticket.id} yourself, use \`!take\` in its thread or \`/assign ${ticket.id} @you\`.`,
          )
        }
        if (ticket.status === 'closed') {
          throw new DeskError('conflict', `Ticket #${ticket.id} is closed and cannot be assigned.`)
        }
        // Whoever acts has passed the desk's door; anyone else must be an agent.
        const known = self ? agent : await findAgent(tx, assigneeDeskUserId)
        if (refused(known, vouched)) throw notAnAgent(assigneeDeskUserId)
        const assignee = known ?? (await ensureAgent(tx, assigneeDeskUserId, now))
        if (ticket.assignee_id === assignee.id) {
          throw new DeskError(
            'conflict',
            `Ticket #${ticket.id} is already assigned to ${assigneeDeskUserId}.`,
            {
              detail: { kind: 'already_assigned', ticketId: ticket.id, assignee: assigneeDeskUserId },
            },
          )
        }
        await assignTo(tx, ticket, assignee, agent, now)
        if (ticket.status === 'new')
          await changeStatus(tx, ticket, 'open', { actor: 'agent', agentId: agent.id }, now)
        await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
        return { ticketId: asTicketId(ticket.id), assignee: assigneeDeskUserId }
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
        // Open again after being solved or set aside; a new ticket is only opened.
        const verb =
          to === 'open' && ticket.status !== 'new' ? 'reopened' : `now ${statusLabel[to].toLowerCase()}`
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
        await setOnShift(tx, agent.id, on)
        if (on) return 'You are on shift: new tickets can be assigned to you.'
        if (deps.assignment?.reassignOnShiftOff !== true)
          return 'You are off shift: no new tickets will be assigned to you.'
        const mine = await newAndOpenTicketsOf(tx, agent.id)
        let handedOver = 0
        for (const ticket of mine)
          if ((await autoAssign(tx, ticket, now, agent.id)) !== undefined) handedOver += 1
        const left = mine.length - handedOver
        return `You are off shift. ${handedOver} of your open tickets went to others${left === 0 ? '' : `; ${left} are unassigned, as nobody else could take them`}.`
      })
    },
  }
}

export type AgentActions = ReturnType<typeof createAgentActions>
