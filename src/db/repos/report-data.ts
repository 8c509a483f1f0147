import { setImmediate } from 'node:timers/promises'
import type { Channel, Priority, TicketStatus } from '../../core/model.js'
import type { Db } from '../connection.js'

/** Which tickets a report is about: all, or one channel's, or one agent's (by desk user id). */
export interface ReportScope {
  readonly channel?: Channel | undefined
  readonly agent?: string | undefined
}

/** One ticket as a report reads it. */
export interface ReportTicket {
  readonly id: number
  readonly channel: Channel
  readonly type: string | null
  readonly priority: Priority
  readonly status: TicketStatus
  readonly created_at: string
  readonly first_response_at: string | null
  readonly solved_at: string | null
  /** The assignee's agent row: `agentNames` gives their desk user id. */
  readonly assignee_id: number | null
}

/** One status change: what a ticket went from and to, when. */
export interface StatusChange {
  readonly ticket_id: number
  readonly from_value: string | null
  readonly to_value: string | null
  readonly created_at: string
}

/** Lists of ids are read in slices: databases cap the parameters of one statement. */
const SLICE = 5_000

/** Between slices the event loop answers what came in meanwhile: a year's report reads for seconds. */
async function inSlices<T>(ids: readonly number[], read: (slice: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < ids.length; i += SLICE) {
    if (i > 0) await setImmediate()
    for (const row of await read(ids.slice(i, i + SLICE))) out.push(row)
  }
  return out
}

/** The agent row of a desk user, as a subquery: reports narrow to it without joining every ticket. */
const agentRow = (db: Db, deskUserId: string) =>
  db.selectFrom('agents').select('id').where('desk_user_id', '=', deskUserId).limit(1)

/**
 * Tickets in scope, unjoined: a month of a busy desk is tens of thousands of tickets, and their
 * assignees are named from `agentNames` (a join was a fifth of reading them).
 */
function ticketsIn(db: Db, scope: ReportScope) {
  let query = db
    .selectFrom('tickets as t')
    .select([
      't.id',
      't.channel',
      't.type',
      't.priority',
      't.status',
      't.created_at',
      't.first_response_at',
      't.solved_at',
      't.assignee_id',
    ])
  if (scope.channel !== undefined) query = query.where('t.channel', '=', scope.channel)
  if (scope.agent !== undefined) query = query.where('t.assignee_id', '=', agentRow(db, scope.agent))
  return query
}

/** Every agent's desk user id, by agent row. */
export async function agentNames(db: Db): Promise<Map<number, string>> {
  const rows = await db.selectFrom('agents').select(['id', 'desk_user_id']).execute()
  return new Map(rows.map((a) => [a.id, a.desk_user_id]))
}

/**
 * A page of the tickets created in [from, to), oldest first: at most `limit`, those after `after`
 * (the last of the page before) when given.
 */
export async function ticketsCreatedBetween(
  db: Db,
  from: string,
  to: string,
  scope: ReportScope,
  page: { readonly limit: number; readonly after?: Pick<ReportTicket, 'created_at' | 'id'> | undefined },
): Promise<ReportTicket[]> {
  const { after } = page
  // The page starts where the last one ended, on the created_at index, rather than at `from`.
  let query = ticketsIn(db, scope)
    .where('t.created_at', '>=', after === undefined || after.created_at < from ? from : after.created_at)
    .where('t.created_at', '<', to)
  if (after !== undefined)
    query = query.where((eb) => eb.or([eb('t.created_at', '>', after.created_at), eb('t.id', '>', after.id)]))
  return query.orderBy('t.created_at').orderBy('t.id').limit(page.limit).execute()
}

/** These tickets, by id (those a report needs beyond the ones created in its period). */
export async function ticketsByIds(db: Db, ids: readonly number[]): Promise<ReportTicket[]> {
  return inSlices(ids, (slice) => ticketsIn(db, {}).where('t.id', 'in', slice).execute())
}

/**
 * The status changes into or out of any of `statuses` made in [from, to) on tickets in scope, oldest
 * first: read once over the period, they are both what solved, reopened and the backlog are counted
 * from and the history of every ticket created in it (a ticket changes only after it was created).
 */
export async function statusChangesBetween(
  db: Db,
  from: string,
  to: string,
  statuses: readonly string[],
  scope: ReportScope,
): Promise<StatusChange[]> {
  let query = db
    .selectFrom('events as e')
    .innerJoin('tickets as t', 't.id', 'e.ticket_id')
    .select(['e.ticket_id', 'e.from_value', 'e.to_value', 'e.created_at'])
    .where('e.action', '=', 'status')
    .where('e.created_at', '>=', from)
    .where('e.created_at', '<', to)
    .where((eb) => eb.or([eb('e.to_value', 'in', statuses), eb('e.from_value', 'in', statuses)]))
  if (scope.channel !== undefined) query = query.where('t.channel', '=', scope.channel)
  if (scope.agent !== undefined) query = query.where('t.assignee_id', '=', agentRow(db, scope.agent))
  return query.orderBy('e.created_at').orderBy('e.id').execute()
}

/**
 * The status changes of these tickets into or out of any of `statuses`, each ticket's oldest first:
 * their SLA pauses and reopenings. Most tickets only ever go from open to solved, so reading only
 * these leaves out most of history.
 */
export async function statusChangesOfMany(
  db: Db,
  ids: readonly number[],
  statuses: readonly string[],
): Promise<StatusChange[]> {
  return inSlices(ids, (slice) =>
    db
      .selectFrom('events')
      .select(['ticket_id', 'from_value', 'to_value', 'created_at'])
      .where('ticket_id', 'in', slice)
      .where('action', '=', 'status')
      .where((eb) => eb.or([eb('to_value', 'in', statuses), eb('from_value', 'in', statuses)]))
      .orderBy('ticket_id')
      .orderBy('id')
      .execute(),
  )
}

/** The assignments made in [from, to) on tickets in scope: to whom (a desk user id). */
export async function assignmentsBetween(
  db: Db,
  from: string,
  to: string,
  scope: ReportScope,
): Promise<{ ticket_id: number; to_value: string | null }[]> {
  let query = db
    .selectFrom('events as e')
    .innerJoin('tickets as t', 't.id', 'e.ticket_id')
    .select(['e.ticket_id', 'e.to_value'])
    .where('e.action', '=', 'assigned')
    .where('e.created_at', '>=', from)
    .where('e.created_at', '<', to)
  if (scope.channel !== undefined) query = query.where('t.channel', '=', scope.channel)
  if (scope.agent !== undefined) query = query.where('e.to_value', '=', scope.agent)
  return query.execute()
}

const ticketCount = (db: Db) => db.selectFrom('tickets as t').select((eb) => eb.fn.countAll<number>().as('n'))

/**
 * How many tickets in scope `narrow` leaves, counted from the tickets table alone (one agent's by a
 * subquery for their id): joined to the assignees, a count on the created_at index read every
 * ticket row, 4.8 s for a year at a million tickets from a cold cache, against 26 ms.
 */
async function countInScope(
  db: Db,
  scope: ReportScope,
  narrow: (query: ReturnType<typeof ticketCount>) => ReturnType<typeof ticketCount>,
): Promise<number> {
  let query = narrow(ticketCount(db))
  if (scope.channel !== undefined) query = query.where('t.channel', '=', scope.channel)
  if (scope.agent !== undefined) query = query.where('t.assignee_id', '=', agentRow(db, scope.agent))
  const row = await query.executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** How many tickets in scope need the team now (new, open, pending, on hold). */
export async function countWorking(db: Db, scope: ReportScope): Promise<number> {
  return countInScope(db, scope, (query) =>
    query.where('t.status', 'in', ['new', 'open', 'pending', 'on_hold']),
  )
}

/**
 * The tags of the tickets in scope created in [from, to), by ticket, each sorted: read through the
 * tickets' created_at index rather than by a list of their ids, at less than half the cost.
 */
export async function tagsCreatedBetween(
  db: Db,
  from: string,
  to: string,
  scope: ReportScope,
): Promise<Map<number, string[]>> {
  let query = db
    .selectFrom('tickets as t')
    .innerJoin('ticket_tags as g', 'g.ticket_id', 't.id')
    .select(['g.ticket_id', 'g.tag'])
    .where('t.created_at', '>=', from)
    .where('t.created_at', '<', to)
  if (scope.channel !== undefined) query = query.where('t.channel', '=', scope.channel)
  if (scope.agent !== undefined) query = query.where('t.assignee_id', '=', agentRow(db, scope.agent))
  const byTicket = new Map<number, string[]>()
  for (const { ticket_id, tag } of await query.orderBy('g.ticket_id').orderBy('g.tag').execute()) {
    const tags = byTicket.get(ticket_id)
    if (tags === undefined) byTicket.set(ticket_id, [tag])
    else tags.push(tag)
  }
  return byTicket
}

/** How many tickets in scope were created in [from, to). */
export async function countCreatedBetween(
  db: Db,
  from: string,
  to: string,
  scope: ReportScope,
): Promise<number> {
  return countInScope(db, scope, (query) =>
    query.where('t.created_at', '>=', from).where('t.created_at', '<', to),
  )
}
