import { personRef } from './person-ref.js'
import type { Db } from '../db/connection.js'
import { countTickets, listTickets, type TicketFilter } from '../db/repos/ticket-list.js'
import { DeskError } from './errors.js'
import { PRIORITIES, TICKET_STATUSES, type Channel, type Priority, type TicketStatus } from './model.js'

// The list queries live in the db layer; lists and bulk actions take them from here, beside the parser
// that makes their filters.
export {
  countTickets,
  listTickets,
  ticketIdsOf,
  type ListedTicket,
  type TicketFilter,
} from '../db/repos/ticket-list.js'

export const WORKING: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold']
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

export const FILTER_HELP =
  'Filters: `status:open` (or `all`), `closed:unknown`, `assignee:me|none|@user`, `channel:telegram`, `priority:high`, `tag:vip`, `type:incident`, `age:>3d` or `age:<2h`, and words to search in subjects and topics.'

const MAX_AGE_MS = 10_000 * 365 * 24 * 3_600_000

/**
 * Reads filters such as `status:pending assignee:me tag:vip age:>2d refund`. Without a status,
 * tickets that still need the team. `@user` must be a linked mention, given here as a user id.
 */
export function parseFilter(text: string, me: string, channels: readonly Channel[]): TicketFilter {
  let statuses: readonly TicketStatus[] = WORKING
  const filter: { -readonly [K in keyof TicketFilter]?: TicketFilter[K] } = {}
  const words: string[] = []
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const match = /^(\w+):(.+)$/.exec(token)
    if (match === null) {
      words.push(token)
      continue
    }
    const key = (match[1] ?? '').toLowerCase()
    const value = match[2] ?? ''
    const lower = value.toLowerCase()
    switch (key) {
      case 'status':
        if (lower === 'all') statuses = TICKET_STATUSES
        else {
          const list = lower.split(',')
          const bad = list.find((s) => !TICKET_STATUSES.includes(s as TicketStatus))
          if (bad !== undefined)
            throw invalid(`\`${bad}\` is not a status (${TICKET_STATUSES.join(', ')}, all).`)
          statuses = list as TicketStatus[]
        }
        break
      case 'assignee': {
        const user = personRef(value)
        if (lower === 'me') filter.assignee = me
        else if (lower === 'none') filter.assignee = 'none'
        else if (user !== undefined) filter.assignee = user
        else throw invalid(`\`${value}\` is not me, none or a linked @mention.`)
        break
      }
      case 'channel':
        if (!channels.includes(lower))
          throw invalid(`\`${value}\` is not a channel (${channels.join(', ')}).`)
        filter.channel = lower
        break
      case 'priority':
        if (!PRIORITIES.includes(lower as Priority))
          throw invalid(`\`${value}\` is not a priority (${PRIORITIES.join(', ')}).`)
        filter.priority = lower as Priority
        break
      case 'tag':
        filter.tag = lower
        break
      case 'type':
        filter.type = lower
        break
      case 'closed':
        // Tickets closed as they were created, for a reason: `unknown` contacts kept out by CONTACT_POLICY.
        if (lower !== 'unknown')
          throw invalid(`\`${value}\` is not a reason tickets are closed for (unknown).`)
        statuses = ['closed']
        filter.closedReason = lower
        break
      case 'age': {
        const age = /^([<>])(\d+)([mhdw])$/.exec(lower)
        if (age === null) throw invalid(`\`${value}\` is not an age like >3d or <2h.`)
        const ms = Number(age[2]) * (UNITS[age[3] ?? 'd'] ?? 0)
        // Ten thousand years is older than any ticket; a larger age is no date at all and cannot be compared.
        if (!(ms <= MAX_AGE_MS)) throw invalid(`\`${value}\` is longer ago than anything a ticket can be.`)
        filter.age = { op: age[1] as '>' | '<', ms }
        break
      }
      default:
        throw invalid(`\`${key}:\` is not a filter.`)
    }
  }
  if (words.length > 0) filter.text = words.join(' ')
  return { ...filter, statuses }
}

function invalid(why: string): DeskError {
  return new DeskError('invalid', `${why} ${FILTER_HELP}`)
}

/** Lists and counts as a service, so adapters query tickets without holding the database. */
export function createTicketQueries(db: Db) {
  return {
    list: (filter: TicketFilter, now: Date, limit?: number) => listTickets(db, filter, now, limit),
    count: (filter: TicketFilter, now: Date) => countTickets(db, filter, now),
  }
}
export type TicketQueries = ReturnType<typeof createTicketQueries>
