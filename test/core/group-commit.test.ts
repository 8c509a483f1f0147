import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHelpDesk } from '../../src/core/helpdesk.js'
import { defaultTexts } from '../../src/core/texts.js'
import { createWork } from '../../src/core/work.js'
import type { Db } from '../../src/db/connection.js'
import { beat } from '../../src/db/repos/heartbeats.js'
import { messagesOf } from '../../src/db/repos/messages.js'
import { manualClock } from '../helpers/clock.js'
import { memoryDb, testingOnPostgres } from '../helpers/db.js'
import { inbound } from '../helpers/inbound.js'

describe('messages that arrive together', () => {
  let db: Db
  beforeEach(async () => {
    db = await memoryDb()
  })
  afterEach(async () => {
    await db.destroy()
  })

  it('are all stored, each customer on one ticket, in the order they came', async () => {
    const helpdesk = createHelpDesk({ db, clock: manualClock(), texts: defaultTexts })
    const burst = Array.from({ length: 40 }, (_, i) =>
      inbound(`c${i % 8}-m${Math.floor(i / 8)}`, {
        externalId: `u${i}`,
        contact: { externalId: `c${i % 8}`, displayName: `C${i % 8}` },
      }),
    )
    const results = await Promise.all(burst.map((m) => helpdesk.receive(m)))
    expect(results.every((r) => r.ticketId !== null && !r.duplicate)).toBe(true)
    const tickets = new Set(results.map((r) => r.ticketId))
    expect(tickets.size).toBe(8)
    for (const ticketId of tickets) {
      const texts = (await messagesOf(db, ticketId!))
        .filter((m) => m.direction === 'inbound')
        .map((m) => m.text)
      const customer = texts[0]!.split('-')[0]!
      expect(texts).toEqual([0, 1, 2, 3, 4].map((n) => `${customer}-m${n}`))
    }
    // A redelivery in the same burst as the original is recognised.
    const again = await Promise.all([helpdesk.receive(burst[0]!), helpdesk.receive(burst[0]!)])
    expect(again.map((r) => r.duplicate)).toEqual([true, true])
  })

  it('are kept or refused one by one: one that fails is undone alone and hears its own error', async () => {
    const { inSharedTransaction } = createWork({ db, clock: manualClock() })
    const outcomes = await Promise.allSettled([
      inSharedTransaction((tx, now) => beat(tx, 'first', now)),
      inSharedTransaction(async (tx, now) => {
        await beat(tx, 'second', now)
        throw new Error('the second could not be stored')
      }),
      inSharedTransaction((tx, now) => beat(tx, 'third', now)),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(outcomes[1]).toMatchObject({ reason: new Error('the second could not be stored') })
    const names = await db.selectFrom('heartbeats').select('name').orderBy('name').execute()
    expect(names.map((r) => r.name)).toEqual(['first', 'third'])
  })

  it('alone, are kept or refused the same way', async () => {
    const { inSharedTransaction } = createWork({ db, clock: manualClock() })
    await inSharedTransaction((tx, now) => beat(tx, 'kept', now))
    await expect(
      inSharedTransaction(async (tx, now) => {
        await beat(tx, 'refused', now)
        throw new Error('could not be stored')
      }),
    ).rejects.toThrow('could not be stored')
    const names = await db.selectFrom('heartbeats').select('name').execute()
    expect(names.map((r) => r.name)).toEqual(['kept'])
  })

  it.skipIf(testingOnPostgres)(
    'are all refused with the full disk as the reason, and none kept, when one of them fills it (SQLite)',
    async () => {
      const { inSharedTransaction } = createWork({ db, clock: manualClock() })
      const names = async () =>
        (await db.selectFrom('heartbeats').select('name').orderBy('name').execute()).map((r) => r.name)
      const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db)
      // Room for a few small rows, not for a large one: SQLite ends the whole transaction then.
      await sql.raw(`pragma max_page_count = ${rows[0]!.page_count + 2}`).execute(db)
      const large = 'x'.repeat(100_000)
      const outcomes = await Promise.allSettled([
        inSharedTransaction((tx, now) => beat(tx, 'first', now)),
        inSharedTransaction((tx, now) => beat(tx, large, now)),
        inSharedTransaction((tx, now) => beat(tx, 'third', now)),
      ])
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected'])
      for (const outcome of outcomes) expect(outcome).toMatchObject({ reason: { code: 'SQLITE_FULL' } })
      expect(await names()).toEqual([])

      // Alone, it hears the same reason, not the rollback's.
      await expect(inSharedTransaction((tx, now) => beat(tx, large, now))).rejects.toMatchObject({
        code: 'SQLITE_FULL',
      })
      // With room again, the next are kept.
      await sql.raw('pragma max_page_count = 1073741823').execute(db)
      await Promise.all(
        ['after', 'later'].map((name) => inSharedTransaction((tx, now) => beat(tx, name, now))),
      )
      expect(await names()).toEqual(['after', 'later'])
    },
  )

  it('are all refused, and none kept, when the transaction cannot commit', async () => {
    const { inSharedTransaction } = createWork({ db, clock: manualClock() })
    await db.destroy()
    const outcomes = await Promise.allSettled([
      inSharedTransaction((tx, now) => beat(tx, 'first', now)),
      inSharedTransaction((tx, now) => beat(tx, 'second', now)),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected'])
    db = await memoryDb()
  })
})
