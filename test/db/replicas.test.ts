import { afterEach, describe, expect, it } from 'vitest'
import { createHelpDesk } from '../../src/core/helpdesk.js'
import { createOutbox } from '../../src/core/outbox.js'
import { defaultTexts } from '../../src/core/texts.js'
import { iso } from '../../src/core/clock.js'
import { openDatabase, type Db } from '../../src/db/connection.js'
import { createElectedLeadership } from '../../src/db/leader.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { claimDelivery, deliveriesOf, enqueueDelivery, pendingSendOf } from '../../src/db/repos/deliveries.js'
import { fakeChannel, fakeDesk } from '../fakes/ports.js'
import { manualClock } from '../helpers/clock.js'
import { testDatabaseUrl, testingOnPostgres } from '../helpers/db.js'
import { inbound } from '../helpers/inbound.js'
import { testLog } from '../helpers/log.js'

// Several processes on one PostgreSQL database (`npm run test:pg`): each has its own connection.
describe.runIf(testingOnPostgres)('processes sharing a PostgreSQL database', () => {
  const closing: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close()
  })

  async function open(url: string, migrate = false): Promise<Db> {
    const db = openDatabase(url)
    closing.push(() => db.destroy())
    if (migrate) await migrateToLatest(db)
    return db
  }

  it('never deliver the same row twice when their outboxes work one queue side by side', async () => {
    const url = await testDatabaseUrl()
    const [one, two] = [await open(url, true), await open(url)]
    const clock = manualClock()
    const log = testLog()
    const helpdesk = createHelpDesk({ db: one, clock, texts: defaultTexts })
    const desk = fakeDesk()
    const telegram = fakeChannel()
    const tickets: number[] = []
    for (let i = 0; i < 40; i++) {
      const contact = { externalId: `c${i}`, displayName: `Customer ${i}` }
      const { ticketId } = await helpdesk.receive(inbound(`hello ${i}`, { contact }))
      tickets.push(ticketId!)
      await helpdesk.receive(inbound(`more ${i}`, { contact }))
    }
    const outboxOf = (db: Db) =>
      createOutbox({
        db,
        clock,
        log,
        desk: desk.desk,
        deskHome: 'CSUPPORT',
        channels: new Map([['telegram', telegram.adapter]]),
        helpdesk,
        policy: { paced: false },
      })
    const [a, b] = [outboxOf(one), outboxOf(two)]
    const queued = async () => {
      const rows = await Promise.all(tickets.map((id) => deliveriesOf(one, id)))
      return rows.flat().filter((d) => d.status === 'queued').length
    }
    let worked = 0
    for (let pass = 0; pass < 100 && (await queued()) > 0; pass++) {
      const [byA, byB] = await Promise.all([a.tick(), b.tick()])
      worked += byA + byB
    }
    expect(worked).toBeGreaterThan(0)

    // Each ticket's thread opened once, each message shown once, everything queued sent.
    const opened = desk.log.filter((l) => l.op === 'open').map((l) => l.ticket)
    expect(opened.sort((x, y) => x - y)).toEqual([...tickets].sort((x, y) => x - y))
    const shown = desk.log.flatMap((l) => (l.entry?.direction === 'inbound' ? [l.entry.text] : []))
    expect(shown).toHaveLength(new Set(shown).size)
    for (const id of tickets) {
      expect((await deliveriesOf(one, id)).map((d) => d.status)).not.toContain('queued')
    }
  })

  it('take over a row claimed by a process that died once its claim lapses, not before', async () => {
    const url = await testDatabaseUrl()
    const db = await open(url, true)
    const clock = manualClock()
    const helpdesk = createHelpDesk({ db, clock, texts: defaultTexts })
    const desk = fakeDesk()
    const { ticketId } = await helpdesk.receive(inbound('Hello'))
    const [head] = await deliveriesOf(db, ticketId!)
    const lapses = new Date(clock.now().getTime() + 60_000)
    const dead = { owner: 'gone', now: iso(clock.now()), until: iso(lapses) }
    expect(await claimDelivery(db, head!.id, dead)).toBe(true)
    // A second claim on a live claim fails, whoever asks.
    expect(await claimDelivery(db, head!.id, { ...dead, owner: 'another' })).toBe(false)

    const outbox = createOutbox({
      db,
      clock,
      log: testLog(),
      desk: desk.desk,
      deskHome: 'CSUPPORT',
      channels: new Map([['telegram', fakeChannel().adapter]]),
      helpdesk,
      policy: { paced: false },
    })
    await outbox.drain()
    expect(desk.log).toEqual([])
    clock.advance(60_000)
    await outbox.drain()
    expect(desk.log.map((l) => l.op)).toEqual(['open', 'post'])
    expect((await deliveriesOf(db, ticketId!)).map((d) => d.status)).not.toContain('queued')
  })

  it('let an agent undo a reply only while no process has claimed its send', async () => {
    const db = await open(await testDatabaseUrl(), true)
    const clock = manualClock()
    const helpdesk = createHelpDesk({ db, clock, texts: defaultTexts })
    const { ticketId } = await helpdesk.receive(inbound('Hello'))
    const later = iso(new Date(clock.now().getTime() + 10_000))
    await enqueueDelivery(db, ticketId, { type: 'customer.message', messageId: 99 }, iso(clock.now()), later)
    const send = await pendingSendOf(db, ticketId!, 99, iso(clock.now()))
    expect(send).toBeDefined()
    const claim = { owner: 'replica', now: iso(clock.now()), until: later }
    expect(await claimDelivery(db, send!.id, claim)).toBe(false) // not the head yet: never taken early
    await db.updateTable('deliveries').set({ ready: 1 }).where('id', '=', send!.id).execute()
    expect(await claimDelivery(db, send!.id, claim)).toBe(true)
    expect(await pendingSendOf(db, ticketId!, 99, iso(clock.now()))).toBeUndefined()
  })

  it('elect one leader per schema, and another when it steps down', async () => {
    const url = await testDatabaseUrl()
    const log = testLog()
    const elect = async (at: string) => {
      const leadership = createElectedLeadership(at, log, 20)
      closing.push(() => leadership.stop())
      await leadership.start()
      return leadership
    }
    const first = await elect(url)
    const second = await elect(url)
    expect([first.held(), second.held()]).toEqual([true, false])
    // Another deployment, in another schema of the same database, has its own leader.
    const elsewhere = await elect(await testDatabaseUrl())
    expect(elsewhere.held()).toBe(true)

    const seen: boolean[] = []
    second.watch((held) => seen.push(held))
    await first.stop()
    await expect.poll(() => second.held(), { timeout: 5_000 }).toBe(true)
    expect(seen).toEqual([false, true])
    expect(first.held()).toBe(false)
  })
})
