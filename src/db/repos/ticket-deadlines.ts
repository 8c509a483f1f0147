import type { TicketStatus } from '../../core/model.js'
import type { Db } from '../connection.js'
import type { Ticket } from '../schema.js'

/**
 * Pending tickets, each with when it last went pending (reminders and automatic solves count from
 * then). Each ticket's latest change to pending is looked up on its own events: joined to every
 * status change of the desk and grouped, this read 350 ms at a million tickets, every minute.
 */
export async function pendingSince(db: Db): Promise<{ id: number; since: string }[]> {
  const rows = await db
    .selectFrom('tickets as tk')
    .select((eb) => [
      'tk.id',
      eb
        .selectFrom('events as e')
        .select('e.created_at')
        .whereRef('e.ticket_id', '=', 'tk.id')
        .where('e.action', '=', 'status')
        .where('e.to_value', '=', 'pending')
        .orderBy('e.id', 'desc')
        .limit(1)
        .as('since'),
    ])
    .where('tk.status', '=', 'pending')
    .execute()
  return rows.flatMap(({ id, since }) => (since === null ? [] : [{ id, since }]))
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

/** What a ticket's SLA clocks are computed from, with its assignee's desk user id. */
export type SlaRow = Pick<
  Ticket,
  'id' | 'status' | 'priority' | 'created_at' | 'first_response_at' | 'awaiting_reply_since'
> & { readonly assignee: string | null }

/**
 * Up to `limit` tickets in `status` with ids above `afterId`, in id order, for the SLA pass: one
 * status at a time, the (status, id) index gives them in order and the page stops at its end. Over
 * several statuses at once every page sorted all the working tickets after it: 39 pages of 500
 * took 190 ms at a million tickets, each minute.
 */
export async function slaPage(
  db: Db,
  status: TicketStatus,
  afterId: number,
  limit: number,
): Promise<SlaRow[]> {
  return db
    .selectFrom('tickets as t')
    .leftJoin('agents as a', 'a.id', 't.assignee_id')
    .select([
      't.id',
      't.status',
      't.priority',
      't.created_at',
      't.first_response_at',
      't.awaiting_reply_since',
      'a.desk_user_id as assignee',
    ])
    .where('t.status', '=', status)
    .where('t.id', '>', afterId)
    .orderBy('t.id')
    .limit(limit)
    .execute()
}
