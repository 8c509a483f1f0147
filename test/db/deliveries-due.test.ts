import { describe, expect, it } from 'vitest'
import type { Db } from '../../src/db/connection.js'
import { enqueueDelivery, nextDueAt } from '../../src/db/repos/deliveries.js'
import { memoryDb } from '../helpers/db.js'

const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 10, minute)).toISOString()

async function ticket(db: Db, n: number): Promise<number> {
  const contact = await db
    .insertInto('contacts')
    .values({
      channel: 'telegram',
      external_id: `c${n}`,
      display_name: `C ${n}`,
      created_at: at(0),
      updated_at: at(0),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const row = await db
    .insertInto('tickets')
    .values({
      contact_id: contact.id,
      channel: 'telegram',
      status: 'open',
      subject: `ticket ${n}`,
      created_at: at(0),
      updated_at: at(0),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

const claim = (db: Db, ticketId: number, until: string) =>
  db
    .updateTable('deliveries')
    .set({ claimed_by: 'replica-b', claimed_until: until })
    .where('ticket_id', '=', ticketId)
    .where('ready', '=', 1)
    .execute()

describe('when the outbox wakes next', () => {
  it('is when the first head falls due, or a claim on it lapses when that is later', async () => {
    const db = await memoryDb()
    expect(await nextDueAt(db)).toBeUndefined()
    const [a, b] = [await ticket(db, 1), await ticket(db, 2)]
    await enqueueDelivery(db, a, { type: 'desk.update' }, at(0), at(10))
    // Behind a's head in its lane: not due before the head has gone, however early.
    await enqueueDelivery(db, a, { type: 'desk.update' }, at(0), at(1))
    await enqueueDelivery(db, b, { type: 'desk.update' }, at(0), at(20))
    expect(await nextDueAt(db)).toBe(at(10))

    // Another process works a's head until minute 30: b's comes first.
    await claim(db, a, at(30))
    expect(await nextDueAt(db)).toBe(at(20))
    // Its claim lapses at 15, before b's head is due.
    await claim(db, a, at(15))
    expect(await nextDueAt(db)).toBe(at(15))
    // A claim that lapsed before the head's own time leaves that time.
    await claim(db, a, at(5))
    expect(await nextDueAt(db)).toBe(at(10))
    await claim(db, b, at(40))
    await claim(db, a, at(35))
    expect(await nextDueAt(db)).toBe(at(35))
    await db.destroy()
  })
})
