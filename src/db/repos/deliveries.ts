import type { DeliveryPayload } from '../../core/delivery.js'
import { laneOf } from '../../core/delivery.js'
import type { Db } from '../connection.js'
import type { Delivery } from '../schema.js'

export async function enqueueDelivery(
  db: Db,
  ticketId: number | null,
  payload: DeliveryPayload,
  at: string,
): Promise<void> {
  await db
    .insertInto('deliveries')
    .values({
      ticket_id: ticketId,
      lane: laneOf(payload),
      kind: payload.type,
      payload: JSON.stringify(payload),
      status: 'queued',
      attempts: 0,
      next_attempt_at: at,
      created_at: at,
    })
    .execute()
}

/** The oldest queued row of every (ticket, lane), where it is due: rows behind it wait their turn. */
export async function dueHeads(db: Db, now: string, limit: number): Promise<Delivery[]> {
  const heads = db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('id').as('id'))
    .where('status', '=', 'queued')
    .groupBy(['ticket_id', 'lane'])
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('id', 'in', heads)
    .where('next_attempt_at', '<=', now)
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** The earliest time a queued row becomes due, if any is queued. */
export async function nextDueAt(db: Db): Promise<string | undefined> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'queued')
    .executeTakeFirst()
  return row?.at ?? undefined
}

export async function markSent(db: Db, id: number, at: string): Promise<void> {
  await db
    .updateTable('deliveries')
    .set((eb) => ({ status: 'sent', done_at: at, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute()
}

export async function markFailed(db: Db, id: number, error: string, at: string): Promise<void> {
  await db
    .updateTable('deliveries')
    .set((eb) => ({ status: 'failed', done_at: at, last_error: error, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute()
}

export async function reschedule(db: Db, id: number, error: string, nextAttemptAt: string): Promise<void> {
  await db
    .updateTable('deliveries')
    .set((eb) => ({ last_error: error, next_attempt_at: nextAttemptAt, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute()
}

/**
 * Marks the ticket's later queued root updates as done: the update being delivered now
 * renders the ticket's current state, which already contains them.
 */
export async function absorbLaterUpdates(
  db: Db,
  ticketId: number,
  afterId: number,
  at: string,
): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ status: 'sent', done_at: at, last_error: 'coalesced' })
    .where('ticket_id', '=', ticketId)
    .where('status', '=', 'queued')
    .where('id', '>', afterId)
    .where('kind', '=', 'desk.update')
    .execute()
}

export async function deliveriesOf(db: Db, ticketId: number): Promise<Delivery[]> {
  return db.selectFrom('deliveries').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute()
}
