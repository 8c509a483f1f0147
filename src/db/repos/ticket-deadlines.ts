import type { TicketStatus } from '../../core/model.js'
import type { Db } from '../connection.js'

/** Pending tickets, each with when it last went pending (reminders and automatic solves count from then). */
export async function pendingSince(db: Db): Promise<{ id: number; since: string }[]> {
  return db
    .selectFrom('tickets as tk')
    .innerJoin('events as e', 'e.ticket_id', 'tk.id')
    .select(['tk.id', (eb) => eb.fn.max('e.created_at').as('since')])
    .where('tk.status', '=', 'pending')
    .where('e.action', '=', 'status')
    .where('e.to_value', '=', 'pending')
    .groupBy('tk.id')
    .execute()
}

/** The ids of solved tickets that were solved at or before `at`. */
export async function solvedBy(db: Db, at: string): Promise<number[]> {
  const rows = await db
    .selectFrom('tickets')
    .select('id')
    .where('status', '=', 'solved')
    .where('solved_at', '<=', at)
    .execute()
  return rows.map((r) => r.id)
}

/** The tickets in these statuses, each with its assignee's desk user id (null for none). */
export async function ticketsWithAssignee(
  db: Db,
  statuses: readonly TicketStatus[],
): Promise<{ id: number; assignee: string | null }[]> {
  return db
    .selectFrom('tickets as t')
    .leftJoin('agents as a', 'a.id', 't.assignee_id')
    .select(['t.id', 'a.desk_user_id as assignee'])
    .where('t.status', 'in', [...statuses])
    .execute()
}
