import { afterEach, describe, expect, it } from 'vitest'
import { deliveriesOf } from '../../src/db/repos/deliveries.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { startHarness, type Harness } from '../helpers/harness.js'
import { openingOf, shownInSlack } from '../helpers/slack-posts.js'
import { inbound } from '../helpers/inbound.js'
import { tempDatabaseUrl } from '../helpers/temp-db.js'

describe('outbox against the real Slack client', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.stop()
    h = undefined
  })

  it('delivers once and in order when Slack answers 500, then 429 with Retry-After, then 200', async () => {
    h = await startHarness()
    h.slack.failNext('chat.postMessage', { status: 500 }, { status: 429, retryAfter: 30 })
    const { ticketId } = await h.app.helpdesk.receive(inbound('Help'))

    await h.app.outbox.drain() // 500: retry after the first backoff (2 s)
    h.clock.advance(2_000)
    await h.app.outbox.drain() // 429: Slack asks for 30 s
    h.clock.advance(29_000)
    await h.app.outbox.drain()
    expect(h.slack.callsOf('chat.postMessage')).toHaveLength(2)
    h.clock.advance(1_000)
    await h.app.outbox.drain()

    const posts = h.slack.callsOf('chat.postMessage')
    const roots = posts.filter((p) => p.thread_ts === undefined)
    expect(roots).toHaveLength(3) // two refused, one delivered
    const ticket = await findTicket(h.db, ticketId!)
    expect(ticket?.thread_ts).toBe('1763888400.000001')
    // The root shows the customer's message; the automatic reply follows in its thread.
    expect(openingOf(roots[2]!)).toBe('Help')
    expect(posts.slice(3).map((p) => [p.thread_ts, String(p.text).slice(0, 30)])).toEqual([
      [ticket?.thread_ts, expect.stringContaining('Automatic reply')],
    ])
    expect((await deliveriesOf(h.db, ticketId!)).every((d) => d.status === 'sent')).toBe(true)
  })

  it('tries again after an answer it cannot read, and delivers once Slack answers', async () => {
    h = await startHarness()
    // A body cut short, and a proxy's page in place of Slack's JSON: the post may not have happened.
    h.slack.failNext('chat.postMessage', { body: '{"ok":tru' }, { body: '<html>Bad gateway</html>' })
    const { ticketId } = await h.app.helpdesk.receive(inbound('Help, my order is late'))
    for (const wait of [0, 2_000, 4_000]) {
      h.clock.advance(wait)
      await h.app.outbox.drain()
    }
    const roots = h.slack.callsOf('chat.postMessage').filter((p) => p.thread_ts === undefined)
    expect(roots.map(openingOf)).toEqual(Array(3).fill('Help, my order is late'))
    expect((await findTicket(h.db, ticketId!))?.thread_ts).toBe('1763888400.000001')
    expect((await deliveriesOf(h.db, ticketId!)).every((d) => d.status === 'sent')).toBe(true)
  })

  it('delivers what was queued when the process stopped, after it starts again', async () => {
    const env = { DATABASE_URL: await tempDatabaseUrl() }

    const first = await startHarness({ env })
    await first.app.helpdesk.receive(inbound('Queued before the stop'))
    await first.stop()
    expect(first.slack.callsOf('chat.postMessage')).toEqual([])

    h = await startHarness({ env })
    await h.app.outbox.drain()
    expect(shownInSlack(h.slack)[0]).toBe('Queued before the stop')
    expect(h.telegram.sent.map((m) => String(m.text))).toEqual([expect.stringContaining('ticket #1')])
  })
})
