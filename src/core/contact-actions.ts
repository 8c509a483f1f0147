import { ensureAgent } from '../db/repos/agents.js'
import { findContact } from '../db/repos/contacts.js'
import { enqueueDelivery } from '../db/repos/deliveries.js'
import { recordEvent } from '../db/repos/events.js'
import { setContactMark } from '../db/repos/intake.js'
import type { Actor } from './actor.js'
import { DeskError } from './errors.js'
import { createWork, type Origin, type WorkDeps } from './work.js'

type Mark = 'blocked' | 'unblocked' | 'allowed'

const column = { blocked: 'blocked_at', unblocked: 'blocked_at', allowed: 'allowed_at' } as const

export type ContactActions = ReturnType<typeof createContactActions>

/**
 * Who may open tickets, from a ticket's thread: agents block and unblock its contact, supervisors
 * let a contact in under CONTACT_POLICY=known. Each change is one event in the ticket's audit log.
 */
export function createContactActions(deps: WorkDeps) {
  const { inTransaction, claimOnce, requireTicket } = createWork(deps)

  function mark(what: Mark) {
    return (actor: Actor, ticketId: number, origin?: Origin): Promise<string> =>
      inTransaction(async (tx, now) => {
        await claimOnce(tx, origin, now)
        const ticket = await requireTicket(tx, ticketId)
        const agent = await ensureAgent(tx, actor.deskUserId, now)
        if (what === 'allowed' && agent.role === 'agent')
          throw new DeskError('forbidden', 'Only supervisors and admins let contacts in.')
        const contact = await findContact(tx, ticket.contact_id)
        if (contact === undefined) throw new DeskError('not_found', `Ticket #${ticket.id} has no contact.`)
        // Named by their ticket, never by the name they gave themselves: it could be anything.
        const who = `The customer of ticket #${ticket.id}`
        const isSet = contact[column[what]] !== null
        if ((what === 'unblocked') !== isSet) throw new DeskError('conflict', `${who} is ${what} already.`)
        await setContactMark(tx, contact.id, column[what], what === 'unblocked' ? null : now)
        await recordEvent(
          tx,
          {
            ticketId: ticket.id,
            actor: 'agent',
            agentId: agent.id,
            action: `contact_${what}`,
            to: contact.display_name,
          },
          now,
        )
        // A ticket closed at birth has no root message to update.
        if (ticket.thread_ts !== null) await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
        return {
          blocked: `${who} is blocked: their messages are kept, open no ticket and page no one. They are not told.`,
          unblocked: `${who} is unblocked: their next message reaches the desk again.`,
          allowed: `${who} may open tickets now: their next message opens one.`,
        }[what]
      })
  }

  return { block: mark('blocked'), unblock: mark('unblocked'), allow: mark('allowed') }
}
