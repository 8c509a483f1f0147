import { describe, expect, it } from 'vitest'
import type { Db } from '../../src/db/connection.js'
import type { DeliveryPayload } from '../../src/core/delivery.js'
import { createRouter } from '../../src/core/outbox-routes.js'
import { dueHeads, enqueueDelivery, nextDueAt, queueByService } from '../../src/db/repos/deliveries.js'
import { memoryDb } from '../helpers/db.js'

const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 10, minute)).toISOString()

async function ticket(db: Db, n: number, channel: 'telegram' | 'whatsapp' = 'telegram'): Promise<number> {
  const contact = await db
    .insertInto('contacts')
    .values({
      channel,
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
      channel,
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

describe('the due heads of a service that has all its workers', () => {
  it('are left unread, and the queue names each service as the outbox routes it', async () => {
    const db = await memoryDb()
    const [tg, wa] = [await ticket(db, 1), await ticket(db, 2, 'whatsapp')]
    const rows: [number | null, DeliveryPayload][] = [
      [tg, { type: 'desk.open' }],
      [wa, { type: 'customer.message', messageId: 1 }],
      [tg, { type: 'customer.message', messageId: 2 }],
      [tg, { type: 'customer.info' }],
      [wa, { type: 'webhook.event', endpointId: 3, eventId: 'e1' }],
      [null, { type: 'customer.direct', channel: 'whatsapp', to: '+4915', text: 'Hi' }],
      [null, { type: 'desk.alert', alert: { kind: 'deliveries_recovered', target: 'telegram' } }],
    ]
    for (const [ticketId, payload] of rows) await enqueueDelivery(db, ticketId, payload, at(0))
    const router = createRouter({ desk: {}, deskHome: 'CSUPPORT', channels: new Map() })
    const heads = await dueHeads(db, at(1), { limit: 100 })
    const serviceOf = (head: (typeof heads)[number]) =>
      router(
        head,
        JSON.parse(head.payload) as DeliveryPayload,
        head.ticket_channel === null
          ? undefined
          : {
              channel: head.ticket_channel,
              contact_external_id: head.contact_external_id ?? '',
              thread_channel: head.thread_channel,
              desk_channel: head.desk_channel,
            },
      ).service
    const services = heads.map(serviceOf)
    expect(services.toSorted()).toEqual(
      ['customer-info', 'slack', 'slack', 'telegram', 'webhook', 'whatsapp', 'whatsapp'].toSorted(),
    )

    for (const skipped of [['slack'], ['whatsapp', 'webhook'], ['customer-info', 'telegram']]) {
      const left = await dueHeads(db, at(1), { limit: 100, skipServices: skipped })
      expect(left.map((head) => head.id)).toEqual(
        heads.filter((head) => !skipped.includes(serviceOf(head))).map((head) => head.id),
      )
    }
    const queues = await queueByService(db, at(1))
    expect(Object.fromEntries(queues.map((q) => [q.service, q.queued]))).toEqual({
      slack: 2,
      whatsapp: 2,
      telegram: 1,
      'customer-info': 1,
      webhook: 1,
    })
    await db.destroy()
  })
})
