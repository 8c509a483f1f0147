import { DeskError } from './errors.js'
import type { TicketStatus } from './model.js'
import { statusLabel } from './model.js'

/** The statuses an agent may move a ticket to. `new` is where tickets start; `closed` is set by automation. */
export type AgentStatus = 'open' | 'pending' | 'on_hold' | 'solved'

const allowed: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
}

/** Throws a DeskError that says why, when `from → to` is not a step of the lifecycle. */
export function assertTransition(ticketNumber: number, from: TicketStatus, to: TicketStatus): void {
  if (from === to) {
    throw new DeskError('conflict', `Ticket #${ticketNumber} is already ${statusLabel[to].toLowerCase()}.`)
  }
  if (from === 'closed') {
    throw new DeskError(
      'conflict',
      `Ticket #${ticketNumber} is closed and cannot change; the customer's next message opens a follow-up ticket.`,
    )
  }
  if (!allowed[from].includes(to)) {
    const hint = from === 'solved' ? ' Reopen it first.' : ''
    throw new DeskError(
      'conflict',
      `Ticket #${ticketNumber} is ${statusLabel[from].toLowerCase()}; it cannot become ${statusLabel[to].toLowerCase()}.${hint}`,
    )
  }
}

/** How a customer's message moves a ticket: waiting on them or solved means someone must look again. */
export function statusAfterCustomerMessage(status: TicketStatus): TicketStatus {
  return status === 'pending' || status === 'solved' ? 'open' : status
}
