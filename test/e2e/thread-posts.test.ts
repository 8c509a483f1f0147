import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/connection.js'
import { deliveriesOf } from '../../src/db/repos/deliveries.js'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { AGENT, startHarness, type Harness } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'
import { expectLogged } from '../helpers/log.js'
import { queryGate } from '../helpers/query-gate.js'
import { openingOf, sectionsOf } from '../helpers/slack-posts.js'

describe('what a ticket looks like in Slack', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
  })
  afterEach(async () => {
    await h.stop()
  })

  const roots = () => h.slack.callsOf('chat.postMessage').filter((p) => p.thread_ts === undefined)

  it('shows the first message in the root, and still after the root is updated in place', async () => {
    const { ticketId } = await h.app.helpdesk.receive(inbound('My parcel & its <box> are lost'))
    await h.app.outbox.drain()
    expect(roots()).toHaveLength(1)
    expect(openingOf(roots()[0]!)).toBe('My parcel &amp; its &lt;box&gt; are lost')
    const ticket = (await findTicket(h.db, ticketId!))!
    // The message has the root's ts, so what points at the message points at the root.
    const [first] = await messagesOf(h.db, ticketId!)
    expect(first?.desk_ts).toBe(ticket.thread_ts)
    expect((await deliveriesOf(h.db, ticketId!)).every((d) => d.status === 'sent')).toBe(true)

    expect(await h.slash('/assign', `${ticketId} <@${AGENT}>`, AGENT)).toContain('#1')
    await h.slash('/pending', String(ticketId), AGENT)
    await h.app.outbox.drain()
    const updates = h.slack.callsOf('chat.update')
    expect(updates.length).toBeGreaterThan(0)
    for (const update of updates) {
      expect(update.ts).toBe(ticket.thread_ts)
      expect(openingOf(update)).toBe('My parcel &amp; its &lt;box&gt; are lost')
    }
    expect(JSON.stringify(updates.at(-1)?.blocks)).toContain('Pending')
  })

  it('posts a first message too long for the root in the thread, whole', async () => {
    const long = `${'The whole story, line after line. '.repeat(250)}The end.`
    const { ticketId } = await h.app.helpdesk.receive(inbound(long))
    await h.app.outbox.drain()
    expect(openingOf(roots()[0]!)).toBeUndefined()
    expect(JSON.stringify(roots()[0]?.blocks)).toContain('The whole story')
    const inThread = h.slack.callsOf('chat.postMessage').filter((p) => p.thread_ts !== undefined)
    expect(inThread.filter((p) => String(p.text).includes(long))).toHaveLength(1)
    const ticket = (await findTicket(h.db, ticketId!))!
    const [first] = await messagesOf(h.db, ticketId!)
    expect(first?.desk_ts).not.toBe(ticket.thread_ts)
  })
})

describe('customer messages that queue up while Slack is busy', () => {
  let h: Harness
  let gate: ReturnType<typeof queryGate>
  beforeEach(async () => {
    gate = queryGate()
    h = await startHarness({ app: { db: openDatabase(':memory:').withPlugin(gate.plugin) } })
  })
  afterEach(async () => {
    await h.stop()
  })

  const posts = () => h.slack.callsOf('chat.postMessage')
  const inThread = () => posts().filter((p) => p.thread_ts !== undefined)
  /** The customer messages each thread post shows, in order, by the number each one carries. */
  const numbersIn = (text: unknown) => [...String(text).matchAll(/\bmsg-(\d+)\b/g)].map((m) => Number(m[1]))

  async function customerWrites(texts: readonly string[]): Promise<number> {
    let ticketId = 0
    for (const text of texts) ticketId = (await h.app.helpdesk.receive(inbound(text))).ticketId!
    return ticketId
  }

  it('shows ten queued messages of a new ticket as its root, with the first, and one post with the rest', async () => {
    const ticketId = await customerWrites(Array.from({ length: 10 }, (_, i) => `msg-${i + 1} about my order`))
    await h.app.outbox.drain()

    expect(posts()).toHaveLength(2)
    expect(openingOf(posts()[0]!)).toBe('msg-1 about my order')
    const [post] = inThread()
    // The automatic reply, then the customer's messages 2 to 10, in order, each under who wrote it.
    const sections = sectionsOf(post!)
    expect(sections[0]).toMatch(/^:robot_face: \*Automatic reply sent:\*\n/)
    expect(sections.slice(1)).toEqual(
      Array.from(
        { length: 9 },
        (_, i) => `:bust_in_silhouette: *Ada Lovelace (Telegram):*\nmsg-${i + 2} about my order`,
      ),
    )
    expect(numbersIn(post?.text)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10])

    const ticket = (await findTicket(h.db, ticketId))!
    const messages = await messagesOf(h.db, ticketId)
    const postTs = h.slack.answered.find((a) => a.args.thread_ts !== undefined)?.result.ts
    expect(messages.map((m) => m.desk_ts)).toEqual([ticket.thread_ts, ...Array<unknown>(10).fill(postTs)])
    expect((await deliveriesOf(h.db, ticketId)).every((d) => d.status === 'sent')).toBe(true)
  })

  it('splits a burst too big for one Slack message into several posts, losing nothing, in order', async () => {
    const long = (i: number) => `msg-${i} ${'so much to say about this order, '.repeat(60)}`
    await customerWrites(['msg-1 hello'])
    await h.app.outbox.drain()
    h.slack.reset()
    // Sixty short ones (more than a message's 50 blocks), then ten long ones (more text than one holds).
    await customerWrites([
      ...Array.from({ length: 60 }, (_, i) => `msg-${i + 2}`),
      ...Array.from({ length: 10 }, (_, i) => long(i + 62)),
    ])
    await h.app.outbox.drain()

    const shown = inThread()
    expect(shown.length).toBeGreaterThanOrEqual(3)
    expect(shown.flatMap((p) => numbersIn(p.text))).toEqual(Array.from({ length: 70 }, (_, i) => i + 2))
    for (const post of shown) {
      expect((post.blocks as unknown[] | undefined)?.length ?? 0).toBeLessThanOrEqual(50)
      for (const section of sectionsOf(post)) expect(section.length).toBeLessThanOrEqual(3_000)
      expect(sectionsOf(post).join('').length).toBeLessThanOrEqual(12_000)
    }
    expect((await deliveriesOf(h.db, 1)).every((d) => d.status === 'sent')).toBe(true)
  })

  it('records a post whose record failed once the database is back, without posting it again', async () => {
    expectLogged('outbox bookkeeping failed, holding the row back', { err: /SQLITE_IOERR/ })
    const ticketId = await customerWrites(['msg-1 hello'])
    await h.app.outbox.drain()
    await customerWrites(['msg-2', 'msg-3', 'msg-4'])
    // Slack took the post; recording it fails (the disk).
    const stop = h.slack.onAnswer((a) => {
      if (a.method !== 'chat.postMessage') return
      gate.failNext({ kind: 'update', table: 'messages' }, new Error('SQLITE_IOERR: disk I/O error'))
      stop()
    })
    await h.app.outbox.drain()
    expect(numbersIn(inThread().at(-1)?.text)).toEqual([2, 3, 4])
    expect((await messagesOf(h.db, ticketId)).filter((m) => m.desk_ts === null)).toHaveLength(3)

    h.clock.advance(60_000)
    await h.app.outbox.drain()
    const posts = inThread().filter((p) => numbersIn(p.text).includes(2))
    expect(posts.map((p) => numbersIn(p.text))).toEqual([[2, 3, 4]])
    const postTs = h.slack.answered.filter((a) => a.args.thread_ts !== undefined).at(-1)?.result.ts
    const messages = (await messagesOf(h.db, ticketId)).filter((m) => /^msg-[234]$/.test(m.text))
    expect(messages.map((m) => m.desk_ts)).toEqual([postTs, postTs, postTs])
    expect((await deliveriesOf(h.db, ticketId)).every((d) => d.status === 'sent')).toBe(true)
  })
})
