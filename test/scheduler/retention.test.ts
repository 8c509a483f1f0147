import { afterEach, describe, expect, it } from 'vitest'
import { JOBS } from '../../src/scheduler/index.js'
import { runRetention } from '../../src/scheduler/jobs/retention.js'
import { startHarness, type Harness } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'

const DAY = 24 * 3_600_000

describe('the retention job', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.stop()
    h = undefined
  })

  const retention = async (harness: Harness, at: Date) => {
    harness.clock.set(at)
    await JOBS.retention!(harness.app.jobDeps, harness.clock.now())
  }
  const deliveries = async (harness: Harness) => {
    const rows = await harness.db.selectFrom('deliveries').select('status').execute()
    return {
      ended: rows.filter((r) => r.status !== 'queued').length,
      queued: rows.filter((r) => r.status === 'queued').length,
    }
  }

  it('forgets handled events and ended deliveries after 30 days, and keeps the conversation', async () => {
    const harness = (h = await startHarness())
    const day0 = new Date('2026-10-01T09:00:00Z')
    harness.clock.set(day0)
    const first = inbound('Where is my order?', { externalId: 'tg-1' })
    const { ticketId } = await harness.app.helpdesk.receive(first)
    await harness.app.outbox.drain()
    // Stored and never sent (the outbox is not drained again): its row stays queued.
    await harness.app.helpdesk.receive(inbound('Hello?', { externalId: 'tg-2' }))
    const before = await deliveries(harness)
    expect(before.ended).toBeGreaterThan(0)
    expect(before.queued).toBeGreaterThan(0)

    await retention(harness, new Date(day0.getTime() + 29 * DAY))
    expect(await deliveries(harness)).toEqual(before)
    expect(await harness.app.helpdesk.receive(first)).toEqual({ ticketId: null, duplicate: true })

    await retention(harness, new Date(day0.getTime() + 31 * DAY))
    expect(await deliveries(harness)).toEqual({ ended: 0, queued: before.queued })
    const events = await harness.db.selectFrom('processed_events').select('external_id').execute()
    expect(events.map((e) => e.external_id)).not.toContain('tg-1')
    const messages = await harness.db
      .selectFrom('messages')
      .select('text')
      .where('ticket_id', '=', ticketId!)
      .where('direction', '=', 'inbound')
      .orderBy('id')
      .execute()
    expect(messages.map((m) => m.text)).toEqual(['Where is my order?', 'Hello?'])
  })

  it('sweeps on from run to run, a bounded number of rows each, and keeps what is younger', async () => {
    const harness = (h = await startHarness())
    const now = new Date('2026-11-29T12:00:00Z')
    const old = (i: number) => new Date(now.getTime() - 40 * DAY + i * 1000).toISOString()
    const young = new Date(now.getTime() - 2 * DAY).toISOString()
    const event = (externalId: string, at: string) => ({
      channel: 'telegram',
      external_id: externalId,
      created_at: at,
    })
    await harness.db
      .insertInto('processed_events')
      .values([...Array.from({ length: 2_500 }, (_, i) => event(`old-${i}`, old(i))), event('young', young)])
      .execute()
    const ended = (at: string) => ({
      ticket_id: null,
      lane: 'desk' as const,
      kind: 'desk.notice' as const,
      payload: '{"type":"desk.notice","text":"x"}',
      status: 'sent' as const,
      attempts: 1,
      next_attempt_at: at,
      created_at: at,
      done_at: at,
    })
    await harness.db
      .insertInto('deliveries')
      .values([...Array.from({ length: 2_100 }, (_, i) => ended(old(i))), ended(young)])
      .execute()
    const left = async () => ({
      events: (await harness.db.selectFrom('processed_events').select('external_id').execute()).length,
      deliveries: (await deliveries(harness)).ended,
    })

    // Each run looks at 1,000 rows of each table (two windows of 500) and goes on from there.
    const run = () => runRetention(harness.app.jobDeps, now, { window: 500, windows: 2 })
    await run()
    expect(await left()).toEqual({ events: 1_501, deliveries: 1_101 })
    await run()
    expect(await left()).toEqual({ events: 501, deliveries: 101 })
    await run()
    expect(await left()).toEqual({ events: 1, deliveries: 1 })
    // Past the last row it starts over, and what is younger stays.
    await run()
    const kept = await harness.db.selectFrom('processed_events').select('external_id').execute()
    expect(kept.map((e) => e.external_id)).toEqual(['young'])
    expect(await deliveries(harness)).toEqual({ ended: 1, queued: 0 })
  })
})
