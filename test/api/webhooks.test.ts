import { afterEach, describe, expect, it } from 'vitest'
import { deliveriesOf } from '../../src/db/repos/deliveries.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { startWebhookReceiver } from '../fakes/webhook-receiver.js'
import { ADMIN, api, createKey, idOf, newTicket } from '../helpers/api.js'
import { AGENT, startHarness, type Harness } from '../helpers/harness.js'
import { expectLogged } from '../helpers/log.js'
import { afterAnswer } from '../helpers/settled.js'

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>

/** Outgoing webhooks: signed, delivered through the outbox, retried, paused, never lost or doubled. */
describe('outgoing webhooks', () => {
  let h: Harness | undefined
  let receiver: Receiver | undefined

  afterEach(async () => {
    await h?.stop()
    await receiver?.close()
    h = undefined
    receiver = undefined
  })

  async function setUp(env: Record<string, string> = {}) {
    h = await startHarness({ env: { SLACK_ADMINS: ADMIN, ...env } })
    receiver = await startWebhookReceiver()
    const added = await h.slash('/webhook', `add <${receiver.url}>`, ADMIN)
    const id = Number(/endpoint \*(\d+)\*/.exec(added)?.[1])
    receiver.state.secret = /`(whsec_[^`]+)`/.exec(added)?.[1] ?? ''
    expect(receiver.state.secret).not.toBe('')
    // Nothing shows the secret again.
    expect(await h.slash('/webhook', 'list', ADMIN)).not.toContain(receiver.state.secret)
    return { h, receiver, id, key: await createKey(h, 'website'), admin: await createKey(h, 'crm', 'admin') }
  }

  /** Moves the clock on and delivers what is due, `times` times. */
  async function later(h: Harness, ms: number, times = 1) {
    for (let i = 0; i < times; i++) {
      h.clock.advance(ms)
      await h.app.outbox.drain()
    }
  }

  /** The events queued for endpoints, in the order the outbox keeps for the ticket. */
  async function eventsQueued(h: Harness, ticketId: number): Promise<string[]> {
    return (await deliveriesOf(h.db, ticketId))
      .filter((d) => d.kind === 'webhook.event')
      .map((d) => (JSON.parse(d.payload) as { eventId: string }).eventId)
  }

  /** A ticket's life: opened, answered in Slack (with a note), changed by an admin key, written to again. */
  async function ticketLife(h: Harness, key: string, admin: string): Promise<number> {
    const id = idOf(await api(h, 'POST', '/tickets', key, newTicket()))
    await h.app.outbox.drain()
    const thread = (await findTicket(h.db, id))!.thread_ts!
    await afterAnswer(() => h.threadReply(thread, AGENT, 'note: VIP, be quick'))
    await afterAnswer(() => h.threadReply(thread, AGENT, 'It ships today'))
    await h.app.outbox.drain()
    expect((await api(h, 'PATCH', `/tickets/${id}`, admin, { priority: 'high' })).status).toBe(200)
    expect((await api(h, 'POST', `/tickets/${id}/messages`, key, { text: 'Great, thanks' })).status).toBe(201)
    await h.app.outbox.drain()
    return id
  }

  it('signs each event so the receiver’s library accepts it, and never sends a note', async () => {
    const { h, receiver, key, admin } = await setUp()
    h.clock.set(new Date())
    receiver.state.strict = true
    const id = await ticketLife(h, key, admin)
    expect(receiver.state.badSignatures).toBe(0)
    const seen = receiver.accepted.map((e) =>
      e.data.message === undefined ? e.type : `${e.type} ${e.data.message.direction}: ${e.data.message.text}`,
    )
    expect(seen[0]).toBe('ticket.created')
    expect(seen[1]).toBe('message.created inbound: Where is my order 1234?')
    expect(seen).toContain('message.created outbound: It ships today')
    expect(seen.at(-1)).toBe('message.created inbound: Great, thanks')
    expect(JSON.stringify(receiver.accepted)).not.toContain('VIP')
    const statusChange = receiver.accepted.find((e) => e.data.changes?.status !== undefined)
    expect(statusChange?.data.changes?.status).toEqual({ from: 'new', to: 'open' })
    expect(receiver.accepted.find((e) => e.data.changes?.priority !== undefined)?.data.ticket.priority).toBe(
      'high',
    )
    expect(receiver.accepted.every((e) => e.data.ticket.id === id)).toBe(true)
    expect(receiver.accepted.map((e) => e.id)).toEqual(await eventsQueued(h, id))
  })

  it('retries an endpoint that fails, then delivers each event once, in order', async () => {
    expectLogged('deliveries keep failing')
    const { h, receiver, key, admin } = await setUp()
    receiver.state.failing = true
    const id = await ticketLife(h, key, admin)
    await later(h, 5 * 60_000, 6)
    expect(receiver.accepted).toEqual([])
    expect(receiver.state.attempts).toBeGreaterThan(3)
    // The support channel heard that the endpoint keeps failing.
    expect(JSON.stringify(h.slack.callsOf('chat.postMessage'))).toContain('webhook endpoint')

    receiver.state.failing = false
    await later(h, 10 * 60_000, 3)
    const queued = await eventsQueued(h, id)
    expect(queued.length).toBeGreaterThanOrEqual(7)
    expect(receiver.accepted.map((e) => e.id)).toEqual(queued)
    expect(receiver.state.badSignatures).toBe(0)
  })

  it('pauses an endpoint that failed for WEBHOOK_DISABLE_AFTER, tells admins, and resumes it on a test', async () => {
    expectLogged('deliveries keep failing')
    const { h, receiver, id: endpoint, key, admin } = await setUp({ WEBHOOK_DISABLE_AFTER: '1h' })
    receiver.state.failing = true
    const id = await ticketLife(h, key, admin)
    await later(h, 10 * 60_000, 8)
    expect(JSON.stringify(h.slack.callsOf('chat.postMessage'))).toContain('is paused')
    expect(await h.slash('/webhook', 'list', ADMIN)).toContain('paused')

    // Recovered, but paused: nothing is tried until an admin says so.
    receiver.state.failing = false
    const attempts = receiver.state.attempts
    await api(h, 'POST', `/tickets/${id}/messages`, key, { text: 'Anyone there?' })
    await later(h, 10 * 60_000, 2)
    expect(receiver.state.attempts).toBe(attempts)

    expect(await h.slash('/webhook', `test ${endpoint}`, ADMIN)).toContain('is resumed')
    expect(await h.slash('/webhook', 'test 99', ADMIN)).toContain('no webhook endpoint 99')
    await later(h, 60_000, 2)
    const events = receiver.accepted.filter((e) => e.type !== 'webhook.test')
    expect(events.map((e) => e.id)).toEqual(await eventsQueued(h, id))
    expect(events.at(-1)?.data.message?.text).toBe('Anyone there?')
    expect(await h.slash('/webhook', 'list', ADMIN)).not.toContain('paused')
  })

  it('lets only admins manage endpoints, and stops sending to one removed', async () => {
    const { h, receiver, id: endpoint, key } = await setUp()
    expect(await h.slash('/webhook', `add https://example.com/x`, AGENT)).toContain('Only admins')
    expect(await h.slash('/webhook', `add https://example.com/x ticket.deleted`, ADMIN)).toContain(
      '`ticket.deleted` is not an event',
    )
    expect(await h.slash('/apikey', 'list', AGENT)).toContain('Only admins')
    expect(await h.slash('/apikey', 'list', ADMIN)).toContain('`website` — customer')
    expect(await h.slash('/webhook', `remove ${endpoint}`, ADMIN)).toContain('removed')
    await api(h, 'POST', '/tickets', key, newTicket())
    await h.app.outbox.drain()
    expect(receiver.accepted).toEqual([])
  })
})
