import { personRef } from './person-ref.js'
import { sql } from 'kysely'
import type { Db } from '../db/connection.js'
import { DeskError } from './errors.js'
import { PRIORITIES, TICKET_STATUSES, type Channel, type Priority, type TicketStatus } from './model.js'

/** Which tickets a list or a bulk action is about. */
export interface TicketFilter {
  readonly statuses: readonly TicketStatus[]
  /** A desk user id, or `none` for unassigned. */
  readonly assignee?: string
  readonly channel?: Channel
  readonly priority?: Priority
  readonly tag?: string
  readonly type?: string
  /** Created before (`>`) or after (`<`) this long ago. */
  readonly age?: { readonly op: '>' | '<'; readonly ms: number }
  /** Words to find in the subject or the topic. */
  readonly text?: string
}

export const WORKING: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold']
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

export const FILTER_HELP =
  'Filters: `status:open` (or `all`), `assignee:me|none|@user`, `channel:telegram`, `priority:high`, `tag:vip`, `type:incident`, `age:>3d` or `age:<2h`, and words to search in subjects and topics.'

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

/** The tickets a filter selects, as a query both lists and bulk actions build on. */
export function selectTickets(db: Db, filter: TicketFilter, now: Date) {
  let query = db
    .selectFrom('tickets as t')
    .leftJoin('agents as a', 'a.id', 't.assignee_id')
    .where('t.status', 'in', [...filter.statuses])
  if (filter.assignee === 'none') query = query.where('t.assignee_id', 'is', null)
  else if (filter.assignee !== undefined) query = query.where('a.desk_user_id', '=', filter.assignee)
  if (filter.channel !== undefined) query = query.where('t.channel', '=', filter.channel)
  if (filter.priority !== undefined) query = query.where('t.priority', '=', filter.priority)
  if (filter.type !== undefined) query = query.where('t.type', '=', filter.type)
  if (filter.tag !== undefined) {
    // Driven from the tag's index: a tag is on few tickets, a status on many.
    const tagged = db.selectFrom('ticket_tags').select('ticket_id').where('tag', '=', filter.tag)
    query = query.where('t.id', 'in', tagged)
  }
  if (filter.age !== undefined) {
    const edge = new Date(now.getTime() - filter.age.ms).toISOString()
    query = query.where('t.created_at', filter.age.op === '>' ? '<' : '>', edge)
  }
  if (filter.text !== undefined) {
    // Words are matched literally: % and _ in them are not wildcards.
    const like = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    query = query.where(
      sql<boolean>`(t.subject like ${like} escape '\\' or t.topic like ${like} escape '\\')`,
    )
  }
  return query
}

export interface ListedTicket {
  readonly id: number
  readonly status: TicketStatus
  readonly priority: Priority
  readonly channel: Channel
  readonly subject: string
  readonly customer: string
  readonly assignee: string | null
  readonly threadChannel: string | null
  readonly threadTs: string | null
}

/** Up to `limit` tickets of a filter, newest first; `more` says whether there are others. */
export async function listTickets(
  db: Db,
  filter: TicketFilter,
  now: Date,
  limit = 20,
): Promise<{ tickets: ListedTicket[]; more: boolean }> {
  const rows = await selectTickets(db, filter, now)
    .innerJoin('contacts as c', 'c.id', 't.contact_id')
    .select([
      't.id',
      't.status',
      't.priority',
      't.channel',
      't.subject',
      'c.display_name as customer',
      'a.desk_user_id as assignee',
      't.thread_channel as threadChannel',
      't.thread_ts as threadTs',
    ])
    .orderBy('t.id', 'desc')
    .limit(limit + 1)
    .execute()
  return { tickets: rows.slice(0, limit), more: rows.length > limit }
}

/** How many tickets a filter selects. */
export async function countTickets(db: Db, filter: TicketFilter, now: Date): Promise<number> {
  const row = await selectTickets(db, filter, now)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Lists and counts as a service, so adapters query tickets without holding the database. */
export function createTicketQueries(db: Db) {
  return {
    list: (filter: TicketFilter, now: Date, limit?: number) => listTickets(db, filter, now, limit),
    count: (filter: TicketFilter, now: Date) => countTickets(db, filter, now),
  }
}
export type TicketQueries = ReturnType<typeof createTicketQueries>
