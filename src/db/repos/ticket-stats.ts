import type { Channel, TicketStatus } from '../../core/model.js'
import type { Db } from '../connection.js'

/** How many tickets are in each of these statuses; a status no ticket is in is left out. */
export async function countByStatus(
  db: Db,
  statuses: readonly TicketStatus[],
): Promise<{ status: TicketStatus; n: number }[]> {
  return db
    .selectFrom('tickets')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', [...statuses])
    .groupBy('status')
    .execute()
}

/** A ticket whose customer waits for an answer: its customer's name, and since when they wait. */
export interface WaitingTicket {
  readonly id: number
  readonly channel: Channel
  readonly display_name: string
  readonly since: string
}

/**
 * The `limit` tickets whose customers have waited longest for an answer, longest first. Waiting:
 * never answered (new, or opened by an assignment), or written to again since the last answer.
 */
export async function longestWaiting(db: Db, limit: number): Promise<WaitingTicket[]> {
  return db
    .selectFrom('tickets as t')
    .innerJoin('contacts as c', 'c.id', 't.contact_id')
    .select([
      't.id',
      't.channel',
      'c.display_name',
      (eb) => eb.fn.coalesce('t.awaiting_reply_since', 't.created_at').as('since'),
    ])
    .where('t.status', 'in', ['new', 'open'])
    .where((eb) =>
      eb.or([eb('t.first_response_at', 'is', null), eb('t.awaiting_reply_since', 'is not', null)]),
    )
    .orderBy('since')
    .limit(limit)
    .execute()
}
