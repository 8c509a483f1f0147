import { clockLabel } from '../../src/core/sla.js'
import type { TicketFact } from '../../src/core/ticket-facts.js'
import type { LabelOf } from '../channel-module.js'
import { escapeText, mention } from './text.js'

const duration = (ms: number) =>
  ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 60_000)} min`

/**
 * A system line of ticket #`ticketId`'s thread, in words; `labelOf` names a channel, `when` writes
 * a time as the team reads it (in its business-hours zone). What came from outside is escaped.
 */
export function factText(
  ticketId: number,
  fact: TicketFact,
  labelOf: LabelOf,
  when: (at: Date) => string,
): string {
  switch (fact.kind) {
    case 'undelivered': {
      const what = fact.what === 'message' ? 'A message to the customer' : 'A customer message'
      const where = fact.reportedBy === null ? '' : ` on ${labelOf(fact.reportedBy)}`
      return `:warning: ${what}${where} could not be delivered: ${escapeText(fact.reason)}`
    }
    case 'file_not_shown':
      return `:warning: The customer sent a file that is not shown here (${escapeText(fact.name)}): ${escapeText(fact.reason)}`
    case 'auto_solved':
      return `:robot_face: Solved automatically: the customer did not answer for ${fact.days} day${fact.days === 1 ? '' : 's'}.`
    case 'sla_breach': {
      const assignee = fact.assignee === null ? 'Nobody is assigned.' : mention(fact.assignee)
      // Each supervisor once, and not again when they are the assignee.
      const others = [...new Set(fact.supervisors)].filter((s) => s !== fact.assignee).map(mention)
      return `:rotating_light: *${clockLabel[fact.clock]} SLA breached* on #${ticketId} (target ${duration(fact.targetMs)} of working time). ${[assignee, ...others].join(' ')}`
    }
    case 'sla_warning': {
      const assignee = fact.assignee === null ? 'Nobody is assigned.' : mention(fact.assignee)
      const used = Math.round(fact.usedShare * 100)
      return `:hourglass_flowing_sand: *${clockLabel[fact.clock]} due ${when(new Date(fact.dueAt))}* on #${ticketId} (${used} % of the target used). ${assignee}`
    }
  }
}
