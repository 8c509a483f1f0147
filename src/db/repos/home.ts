import type { Channel, Priority, TicketStatus } from '../../core/model.js'
import type { Db } from '../connection.js'

const WORKING = ['new', 'open', 'pending', 'on_hold'] as const

/** A ticket as App Home lists it. */
export interface HomeTicketRow {
  readonly id: number
  readonly status: TicketStatus
  readonly priority: Priority
  readonly channel: Channel
  readonly subject: string
  readonly created_at: string
  readonly thread_channel: string | null
  readonly thread_ts: string | null
}

const homeColumns = [
  't.id',
  't.status',
  't.priority',
  't.channel',
  't.subject',
  't.created_at',
  't.thread_channel',
  't.thread_ts',
] as const

/** The oldest `limit` tickets that need work and are assigned to this agent (by agents.id), oldest first. */
export async function workingTicketsOf(db: Db, agentId: number, limit: number): Promise<HomeTicketRow[]> {
  return db
    .selectFrom('tickets as t')
    .select(homeColumns)
    .where('t.assignee_id', '=', agentId)
    .where('t.status', 'in', [...WORKING])
    .orderBy('t.id')
    .limit(limit)
    .execute()
}

/** How many tickets that need work each status holds, for one agent (by agents.id) or all. */
export async function workingByStatus(
  db: Db,
  agentId?: number,
): Promise<{ status: TicketStatus; n: number }[]> {
  let query = db
    .selectFrom('tickets as t')
    .select(['t.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('t.status', 'in', [...WORKING])
  if (agentId !== undefined) query = query.where('t.assignee_id', '=', agentId)
  return query.groupBy('t.status').execute()
}

/** The oldest `limit` tickets that need work and have nobody, and how many there are. */
export async function unassignedTickets(
  db: Db,
  limit: number,
): Promise<{ tickets: HomeTicketRow[]; count: number }> {
  const base = db
    .selectFrom('tickets as t')
    .where('t.assignee_id', 'is', null)
    .where('t.status', 'in', [...WORKING])
  const tickets = await base.select(homeColumns).orderBy('t.id').limit(limit).execute()
  const row = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
  return { tickets, count: Number(row?.n ?? 0) }
}

/** The agents on shift, each with how many tickets that need work they hold. */
export async function shiftLoads(db: Db): Promise<{ desk_user_id: string; load: number }[]> {
  const rows = await db
    .selectFrom('agents as a')
    .leftJoin('tickets as t', (join) =>
      join.onRef('t.assignee_id', '=', 'a.id').on('t.status', 'in', [...WORKING]),
    )
    .select(['a.desk_user_id', (eb) => eb.fn.count<number>('t.id').as('load')])
    .where('a.on_shift', '=', 1)
    .where('a.removed_at', 'is', null)
    .groupBy('a.desk_user_id')
    .orderBy('a.desk_user_id')
    .execute()
  return rows.map((r) => ({ desk_user_id: r.desk_user_id, load: Number(r.load) }))
}

/** Tickets by id, as App Home lists them. */
export async function homeTicketsByIds(db: Db, ids: readonly number[]): Promise<HomeTicketRow[]> {
  if (ids.length === 0) return []
  return db
    .selectFrom('tickets as t')
    .select(homeColumns)
    .where('t.id', 'in', [...ids])
    .execute()
}
