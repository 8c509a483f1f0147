import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeskError } from '../../src/core/errors.js'
import { createHelpDesk, type HelpDesk } from '../../src/core/helpdesk.js'
import { iso } from '../../src/core/clock.js'
import { createOutbox, type OutboxDeps, type OutboxPolicy } from '../../src/core/outbox.js'
import { defaultTexts } from '../../src/core/texts.js'
import { readFact } from '../../src/core/ticket-facts.js'
import type { Db } from '../../src/db/connection.js'
import { deliveriesOf, enqueueDelivery } from '../../src/db/repos/deliveries.js'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { fakeChannel, fakeDesk } from '../fakes/ports.js'
import { manualClock, type ManualClock } from '../helpers/clock.js'
import { memoryDb } from '../helpers/db.js'
import { inbound } from '../helpers/inbound.js'
import { expectLogged, testLog, type TestLog } from '../helpers/log.js'

const agent = { deskUserId: 'UAGENT' }
const policy = { baseDelayMs: 1_000, maxDelayMs: 60_000, paced: false }

describe('outbox', () => {
  let db: Db
  let clock: ManualClock
  let helpdesk: HelpDesk
  let desk: ReturnType<typeof fakeDesk>
  let telegram: ReturnType<typeof fakeChannel>
  let log: TestLog

  /** The outbox over the test's database and fakes; a test may swap a part or tune the policy. */
  const outbox = (parts: Partial<OutboxDeps> = {}, tuned: Partial<OutboxPolicy> = {}) =>
    createOutbox({
      db,
      clock,
      log,
      desk: desk.desk,
      deskHome: 'CSUPPORT',
      channels: new Map([['telegram', telegram.adapter]]),
      helpdesk,
      ...parts,
      policy: { ...policy, ...tuned },
    })

  beforeEach(async () => {
    db = await memoryDb()
    clock = manualClock()
    helpdesk = createHelpDesk({ db, clock, texts: defaultTexts })
    desk = fakeDesk()
    telegram = fakeChannel()
    log = testLog()
  })
  afterEach(async () => {
    await db.destroy()
  })

  it('shows a new ticket in order: thread first, showing the first message, then the rest; and stores the thread', async () => {
    const { ticketId } = await helpdesk.receive(inbound('Hello'))
    await outbox().drain()
    expect(desk.log.map((l) => l.op)).toEqual(['open', 'post'])
    expect(desk.log[0]?.view.opening).toEqual({ kind: 'text', text: 'Hello' })
    expect(desk.log[1]?.entry).toMatchObject({ direction: 'outbound', author: null })
    expect(telegram.sent).toHaveLength(1)
    expect(await findTicket(db, ticketId!)).toMatchObject({ thread_channel: 'CSUPPORT', thread_ts: '100.1' })
    // The message the root shows has the root's ts: reactions and links find it there.
    const [hello] = await messagesOf(db, ticketId!)
    expect(hello).toMatchObject({ text: 'Hello', desk_ts: '100.1' })
    const statuses = (await deliveriesOf(db, ticketId!)).map((d) => d.status)
    expect(statuses).toEqual(['sent', 'sent', 'sent', 'sent'])
  })

  it('shows the first message in the root only when its entry is next in the lane, and keeps it there on updates', async () => {
    // Assigned on arrival: the root's update is queued between the root and the message.
    const assigning = createHelpDesk({
      db,
      clock,
      texts: defaultTexts,
      assignment: { capacity: 10, groups: {}, rules: [], reassignOnShiftOff: false },
    })
    await assigning.setShift(agent, true)
    await assigning.receive(inbound('Hello'))
    await outbox().drain()
    expect(desk.log.map((l) => l.op)).toEqual(['open', 'update', 'post', 'post'])
    expect(desk.log[0]?.view.opening).toBeUndefined()
    expect(desk.log[2]?.entry).toMatchObject({ direction: 'inbound', text: 'Hello' })

    const { ticketId } = await helpdesk.receive(
      inbound('Hi', { contact: { externalId: '2', displayName: 'B' } }),
    )
    await outbox().drain()
    desk.log.length = 0
    await helpdesk.setStatus(agent, ticketId!, 'pending')
    await outbox().drain()
    expect(desk.log).toEqual([expect.objectContaining({ op: 'update' })])
    expect(desk.log[0]?.view.opening).toEqual({ kind: 'text', text: 'Hi' })
  })

  it('puts entries queued one behind the other in one post, no more than a post holds, in order', async () => {
    desk = fakeDesk({ postHolds: 4 })
    const { ticketId } = await helpdesk.receive(inbound('m1'))
    for (let i = 2; i <= 10; i++) await helpdesk.receive(inbound(`m${i}`))
    await outbox().drain()
    const posts = desk.log.filter((l) => l.op === 'post')
    expect(posts.map((l) => l.entry?.text)).toEqual([
      expect.stringContaining('ticket #1'),
      ...Array.from({ length: 9 }, (_, i) => `m${i + 2}`),
    ])
    // Four, four, then the two left: each message has the ts of the post that shows it.
    const tsOf = new Map(posts.map((l) => [l.entry?.text, l.ts]))
    expect(new Set(posts.map((l) => l.ts)).size).toBe(3)
    const messages = await messagesOf(db, ticketId!)
    expect(messages.map((m) => m.desk_ts)).toEqual([
      '100.1',
      ...messages.slice(1).map((m) => tsOf.get(m.text)),
    ])
    expect((await deliveriesOf(db, ticketId!)).every((d) => d.status === 'sent')).toBe(true)
  })

  it('posts an entry whose message has a post already on its own, and starts a new post after it', async () => {
    const { ticketId } = await helpdesk.receive(inbound('first'))
    await outbox().drain()
    for (const text of ['a', 'b', 'c', 'd']) await helpdesk.receive(inbound(text))
    // 'b' has a post already (one made before a restart, say): it is not folded into another.
    await db.updateTable('messages').set({ desk_ts: '150.1' }).where('text', '=', 'b').execute()
    desk.log.length = 0
    await outbox().drain()
    const groups = desk.log.map((l) => [l.entry?.text, l.ts])
    expect(groups).toEqual([
      ['a', expect.any(String)],
      ['b', expect.any(String)],
      ['c', expect.any(String)],
      ['d', groups[2]?.[1]],
    ])
    expect(new Set(groups.map(([, ts]) => ts)).size).toBe(3)
    const b = (await messagesOf(db, ticketId!)).find((m) => m.text === 'b')
    expect(b?.desk_ts).toBe('150.1')
  })

  it("queues a thread's next post behind the tickets that waited for the channel while its root went", async () => {
    const A = { contact: { externalId: 'a', displayName: 'A' } }
    const B = { contact: { externalId: 'b', displayName: 'B' } }
    await helpdesk.receive(inbound('a1', A))
    await helpdesk.receive(inbound('a2', A))
    clock.advance(1_000)
    await helpdesk.receive(inbound('b1', B))
    clock.advance(1_000)
    // One row at a time, the one due first: A's root (queued first), then the next post to Slack.
    const box = outbox({}, { concurrency: 1 })
    for (let i = 0; i < 10 && desk.log.length < 2; i++) await box.tick()
    expect(desk.log.map((l) => [l.op, l.view.customer.name])).toEqual([
      ['open', 'A'],
      ['open', 'B'],
    ])
    await box.drain()
    expect(desk.log.filter((l) => l.op === 'post').map((l) => [l.view.customer.name, l.entry?.text])).toEqual(
      [
        ['A', expect.stringContaining('ticket #1')],
        ['A', 'a2'],
        ['B', expect.stringContaining('ticket #2')],
      ],
    )
  })

  it('retries with growing delays, and a row waits for the one before it', async () => {
    const { ticketId } = await helpdesk.receive(inbound('Hello'))
    await outbox().drain()
    await helpdesk.reply(agent, ticketId!, 'first')
    await helpdesk.reply(agent, ticketId!, 'second')
    telegram.failNext(new DeskError('unavailable', 'down'), new DeskError('unavailable', 'down'))
    const box = outbox()

    await box.drain()
    expect(telegram.sent.map((m) => m.text)).not.toContain('first')
    clock.advance(999)
    await box.drain()
    expect(telegram.sent.map((m) => m.text)).not.toContain('first') // 1 s backoff not over
    clock.advance(1)
    await box.drain() // second failure: now 2 s
    clock.advance(2_000)
    await box.drain()
    expect(telegram.sent.slice(-2).map((m) => m.text)).toEqual(['first', 'second'])
  })

  it("honours the platform's Retry-After for that chat only, and a wait is not a failed attempt", async () => {
    const a = await helpdesk.receive(inbound('Hello', { contact: { externalId: '1', displayName: 'A' } }))
    const b = await helpdesk.receive(inbound('Hello', { contact: { externalId: '2', displayName: 'B' } }))
    await outbox().drain()
    telegram.sent.length = 0
    await helpdesk.reply(agent, a.ticketId!, 'to A')
    telegram.failNext(new DeskError('rate_limited', '429', { retryAfterMs: 30_000 }))
    const box = outbox()
    await box.drain()
    await helpdesk.reply(agent, a.ticketId!, 'to A again')
    await helpdesk.reply(agent, b.ticketId!, 'to B')
    await box.drain()
    // B's chat never asked for quiet: its reply leaves at once, while A's wait.
    expect(telegram.sent.map((m) => m.text)).toEqual(['to B'])
    clock.advance(29_000)
    await box.drain()
    expect(telegram.sent.map((m) => m.text)).toEqual(['to B'])
    clock.advance(1_000)
    await box.drain()
    expect(telegram.sent.map((m) => m.text)).toEqual(['to B', 'to A', 'to A again'])
    const waited = (await deliveriesOf(db, a.ticketId!)).find((d) => d.kind === 'customer.message')
    expect(waited).toMatchObject({ status: 'sent', attempts: 1 })
  })

  it('waits at least a second and at most the longest backoff, however long the platform asks', async () => {
    const { ticketId } = await helpdesk.receive(inbound('Hello'))
    await outbox().drain()
    telegram.sent.length = 0
    const box = outbox()
    const sentAfter = async (ms: number) => {
      clock.advance(ms)
      await box.drain()
      return telegram.sent.map((m) => m.text)
    }
    // Asked to wait thirty years: tried again after the longest backoff (a minute here).
    await helpdesk.reply(agent, ticketId!, 'first')
    telegram.failNext(new DeskError('rate_limited', '429', { retryAfterMs: 1e12 }))
    expect(await sentAfter(0)).toEqual([])
    expect(await sentAfter(59_999)).toEqual([])
    expect(await sentAfter(1)).toEqual(['first'])
    // Asked to wait less than nothing: a second, not a busy loop of calls.
    await helpdesk.reply(agent, ticketId!, 'second')
    telegram.failNext(new DeskError('rate_limited', '429', { retryAfterMs: -5_000 }))
    const calls = telegram.calls
    expect(await sentAfter(0)).toEqual(['first'])
    expect(await sentAfter(999)).toEqual(['first'])
    expect(telegram.calls).toBe(calls + 1)
    expect(await sentAfter(1)).toEqual(['first', 'second'])
  })

  it('tells the support channel of a platform that keeps asking to wait, and when it is back', async () => {
    expectLogged('deliveries keep failing', { target: 'telegram:7001' })
    const { ticketId } = await helpdesk.receive(inbound('Hello'))
    await outbox().drain()
    await helpdesk.reply(agent, ticketId!, 'hello')
    const box = outbox({}, { alertAfterMs: 15 * 60_000 })
    telegram.failNext(
      ...Array<DeskError>(20).fill(new DeskError('rate_limited', '429', { retryAfterMs: 60_000 })),
    )
    for (let i = 0; i < 20; i++) {
      await box.drain()
      clock.advance(60_000)
    }
    expect(desk.alerts.filter((a) => a.kind === 'deliveries_failing')).toEqual([
      expect.objectContaining({ target: 'telegram:7001', reason: '429' }),
    ])
    await box.drain()
    expect(telegram.sent.map((m) => m.text)).toContain('hello')
    await box.drain()
    expect(desk.alerts.at(-1)).toEqual({ kind: 'deliveries_recovered', target: 'telegram:7001' })
  })

  it('gives up on a refused message at once and tells the agents in the thread', async () => {
    expectLogged('delivery failed for good')
    const { ticketId } = await helpdesk.receive(inbound('Hello'))
    await outbox().drain()
    await helpdesk.reply(agent, ticketId!, 'hello')
    telegram.failNext(
      new DeskError(
        'rejected',
        'Telegram sendMessage answered 403: Forbidden (the customer blocked the bot)',
      ),
    )
    await outbox().drain()
    const reply = (await deliveriesOf(db, ticketId!)).find(
      (d) => d.kind === 'customer.message' && d.status === 'failed',
    )
    expect(reply?.last_error).toContain('blocked the bot')
    expect(log.find('error', 'delivery failed for good')).toMatchObject({
      delivery: reply?.id,
      kind: 'customer.message',
      ticket: ticketId,
      attempt: 1,
      err: expect.objectContaining({
        message: expect.stringContaining('blocked the bot') as unknown,
      }) as unknown,
    })
    const warning = desk.log.at(-1)
    expect(warning?.entry?.direction).toBe('system')
    expect(readFact(warning?.entry?.text ?? '')).toEqual({
      kind: 'undelivered',
      what: 'message',
      reportedBy: null,
      reason: 'Telegram sendMessage answered 403: Forbidden (the customer blocked the bot)',
    })
  })

  it('never gives up on a platform that is down: the support channel hears after a while, and when it is back', async () => {
    expectLogged('deliveries keep failing', { target: 'telegram:7001' })
    const { ticketId } = await helpdesk.receive(inbound('Hello'))
    await outbox().drain()
    await helpdesk.reply(agent, ticketId!, 'hello')
    const down = new DeskError('unavailable', 'Telegram sendMessage could not be reached')
    telegram.failNext(...Array<DeskError>(40).fill(down))
    const box = outbox({}, { alertAfterMs: 15 * 60_000 })
    // Three hours of outage: far more tries than the old budget of twelve.
    for (let i = 0; i < 40; i++) {
      await box.drain()
      clock.advance(5 * 60_000)
    }
    const alerts = desk.alerts.filter((a) => a.kind === 'deliveries_failing')
    expect(alerts).toEqual([
      expect.objectContaining({
        target: 'telegram:7001',
        reason: expect.stringContaining('could not be reached') as unknown,
      }),
    ])
    await box.drain()
    expect(telegram.sent.map((m) => m.text)).toContain('hello')
    const reply = (await deliveriesOf(db, ticketId!)).filter((d) => d.kind === 'customer.message').at(-1)
    expect(reply).toMatchObject({ status: 'sent', attempts: 41 })
    await box.drain()
    expect(desk.alerts.at(-1)).toEqual({ kind: 'deliveries_recovered', target: 'telegram:7001' })
  })

  it('lets a hung chat hold back only its own replies, and tries it again after the send timeout', async () => {
    const a = await helpdesk.receive(inbound('Hello', { contact: { externalId: '1', displayName: 'A' } }))
    const b = await helpdesk.receive(inbound('Hello', { contact: { externalId: '2', displayName: 'B' } }))
    const box = outbox({}, { sendTimeoutMs: 50 })
    await box.drain()
    telegram.sent.length = 0
    telegram.hang('1')
    await helpdesk.reply(agent, a.ticketId!, 'to A')
    await helpdesk.reply(agent, b.ticketId!, 'to B')
    await box.drain()
    expect(telegram.sent.map((m) => m.text)).toEqual(['to B'])
    const stuck = (await deliveriesOf(db, a.ticketId!)).filter((d) => d.kind === 'customer.message').at(-1)
    expect(stuck).toMatchObject({ status: 'queued', attempts: 1 })
    expect(stuck?.last_error).toContain('did not answer within 50 ms')
    telegram.release('1')
    clock.advance(60_000)
    await box.drain()
    expect(telegram.sent.map((m) => m.text)).toContain('to A')
  })

  it('lets no number of rows for one hung Slack channel hide the other tickets', async () => {
    for (let i = 0; i < 150; i++) {
      const { ticketId } = await helpdesk.receive(
        inbound('Billing', { contact: { externalId: `b${i}`, displayName: `B${i}` } }),
      )
      await db.updateTable('tickets').set({ desk_channel: 'CBAD' }).where('id', '=', ticketId!).execute()
    }
    for (let i = 0; i < 5; i++) {
      await helpdesk.receive(inbound('Hello', { contact: { externalId: `n${i}`, displayName: `N${i}` } }))
    }
    desk.hang('CBAD')
    const box = outbox({}, { concurrency: 4, sendTimeoutMs: 20 })
    // One post at a time per Slack channel: the hung one takes one worker, the others work on
    // (first the 150 confirmations to the customers, then the support channel's tickets).
    const opened = () => desk.log.filter((l) => l.op === 'open').map((l) => l.view.customer.name)
    let passes = 0
    while (opened().length < 5 && passes < 100) {
      await box.tick()
      passes++
    }
    expect(opened()).toEqual(['N0', 'N1', 'N2', 'N3', 'N4'])
    expect(telegram.sent).toHaveLength(155)
  })

  it('lets no number of rows for a platform that has all the workers it may take hide Slack', async () => {
    const hung: number[] = []
    for (const id of ['h0', 'h1', 'h2', 'h3', 'h4', 'h5']) {
      hung.push(
        (await helpdesk.receive(inbound('Hi', { contact: { externalId: id, displayName: id } }))).ticketId!,
      )
    }
    const box = outbox({}, { concurrency: 8, sendTimeoutMs: 20 })
    await box.drain()
    // Telegram's six hung chats take its share of the eight workers; 7,000 more chats wait behind.
    for (const [i, ticketId] of hung.entries()) {
      telegram.hang(`h${i}`)
      await helpdesk.reply(agent, ticketId, 'Still there?')
    }
    for (let batch = 0; batch < 7; batch++) {
      const n = Array.from({ length: 1_000 }, (_, i) => batch * 1_000 + i)
      const at = iso(clock.now())
      const contacts = await db
        .insertInto('contacts')
        .values(
          n.map((i) => ({
            channel: 'telegram',
            external_id: `w${i}`,
            display_name: `W${i}`,
            created_at: at,
            updated_at: at,
          })),
        )
        .returning('id')
        .execute()
      const tickets = await db
        .insertInto('tickets')
        .values(
          contacts.map((c) => ({
            contact_id: c.id,
            channel: 'telegram',
            status: 'open',
            subject: 'Waiting',
            created_at: at,
            updated_at: at,
          })),
        )
        .returning('id')
        .execute()
      await db
        .insertInto('deliveries')
        .values(
          tickets.map((t) => ({
            ticket_id: t.id,
            lane: 'customer',
            kind: 'customer.message',
            payload: JSON.stringify({ type: 'customer.message', messageId: 1 }),
            status: 'queued',
            attempts: 0,
            next_attempt_at: at,
            created_at: at,
            ready: 1,
          })),
        )
        .execute()
    }
    const { ticketId } = await helpdesk.receive(
      inbound('Hello', { contact: { externalId: 'n1', displayName: 'Newcomer' } }),
    )
    // Its own Slack channel: the replies' echoes in the support channel go one at a time.
    await db.updateTable('tickets').set({ desk_channel: 'CNEW' }).where('id', '=', ticketId!).execute()
    desk.log.length = 0
    await box.tick()
    expect(desk.log.filter((l) => l.op === 'open').map((l) => l.view.customer.name)).toEqual(['Newcomer'])
  })

  it('resumes a long reply after the parts that already left', async () => {
    const sms = fakeChannel('telegram', { textLimit: 10 })
    const { ticketId } = await helpdesk.receive(inbound('Hello'))
    const box = outbox({ channels: new Map([['telegram', sms.adapter]]) })
    await box.drain()
    sms.sent.length = 0
    await helpdesk.reply(agent, ticketId!, 'aaaa bbbb cccc dddd eeee ffff')
    sms.failNext('ok', new DeskError('unavailable', 'down'))
    await box.drain()
    clock.advance(60_000)
    await box.drain()
    expect(sms.sent.map((m) => m.text)).toEqual(['aaaa bbbb ', 'cccc dddd ', 'eeee ffff'])
  })

  it('posts a ticket in the support channel when the channel its rule chose refuses it, and says so', async () => {
    const { ticketId } = await helpdesk.receive(inbound('Hello'))
    await db.updateTable('tickets').set({ desk_channel: 'CBILLING' }).where('id', '=', ticketId!).execute()
    desk.failNext(new DeskError('not_found', 'Slack chat.postMessage failed: not_in_channel'))
    await outbox().drain()
    expect(desk.log.map((l) => l.op)).toEqual(['open', 'post'])
    expect(desk.log[0]?.view.opening).toEqual({ kind: 'text', text: 'Hello' })
    expect(desk.log[0]?.view.deskChannel).toBeNull()
    expect(desk.alerts).toEqual([
      { kind: 'ticket_rerouted', ticketId, reason: 'Slack chat.postMessage failed: not_in_channel' },
    ])
  })

  it('says in the support channel when what was for someone else cannot be posted', async () => {
    expectLogged('delivery failed for good')
    await enqueueDelivery(
      db,
      null,
      { type: 'desk.notice', text: 'Charts of the report', to: 'UASKER' },
      iso(clock.now()),
    )
    desk.failNext(new DeskError('rejected', 'Slack files.completeUploadExternal failed: not_in_channel'))
    await outbox().drain()
    expect(desk.notices).toEqual([])
    expect(desk.alerts).toEqual([
      {
        kind: 'not_shown',
        ticketId: null,
        reason: 'what was to be posted to UASKER: Slack files.completeUploadExternal failed: not_in_channel',
      },
    ])
  })

  /** Six new tickets, and a Slack that takes a burst of four posts, then one a second. */
  async function sixTicketsForAPacedChannel() {
    for (let i = 0; i < 6; i++) {
      await helpdesk.receive(inbound('Hello', { contact: { externalId: String(i), displayName: `C${i}` } }))
    }
    return { ...desk.desk, rates: { post: { perSecond: 1, burst: 4 }, edit: { perSecond: 1, burst: 4 } } }
  }

  it('paces posts to one Slack channel: a burst, then about one a second', async () => {
    const paced = await sixTicketsForAPacedChannel()
    const box = outbox({ desk: paced }, { paced: true })
    await box.drain()
    expect(desk.log.filter((l) => l.op === 'open')).toHaveLength(4)
    clock.advance(1_000)
    await box.drain()
    expect(desk.log.filter((l) => l.op === 'open')).toHaveLength(5)
    clock.advance(1_000)
    await box.drain()
    expect(desk.log.filter((l) => l.op === 'open')).toHaveLength(6)
  })

  it('gives the rows that must wait for their channel their moments in the queue, not at every pass', async () => {
    const paced = await sixTicketsForAPacedChannel()
    await outbox({ desk: paced }, { paced: true }).tick()
    const waiting = await db
      .selectFrom('deliveries')
      .select('next_attempt_at')
      .where('status', '=', 'queued')
      .where('kind', '=', 'desk.open')
      .orderBy('id')
      .execute()
    const t = clock.now().getTime()
    // One root went; three more fit the burst and wait only for it; two are put off to their seconds.
    expect(waiting.map((d) => new Date(d.next_attempt_at).getTime() - t)).toEqual([0, 0, 0, 1_000, 2_000])
  })

  it('lets a thread entry wait its turn instead of taking the burst, so what the customer adds joins its post', async () => {
    const paced = {
      ...desk.desk,
      rates: { post: { perSecond: 1, burst: 2 }, edit: { perSecond: 1, burst: 2 } },
    }
    const box = outbox({ desk: paced }, { paced: true })
    const { ticketId } = await helpdesk.receive(inbound('Hello'))
    await box.drain()
    expect(desk.log.filter((l) => l.op === 'open')).toHaveLength(1)
    await helpdesk.receive(inbound('my order is late'))
    await helpdesk.receive(inbound('it was due Monday'))
    await box.drain()
    clock.advance(1_000)
    await box.drain()
    const posts = desk.log.filter((l) => l.op === 'post' && l.ticket === ticketId)
    expect(posts.filter((p) => p.entry?.direction === 'inbound').map((p) => p.entry?.text)).toEqual([
      'my order is late',
      'it was due Monday',
    ])
    expect(new Set(posts.map((p) => p.ts)).size).toBe(1)
  })

  it('sends thread entries queued behind busy roots in the next free seconds, none left unused', async () => {
    // Three new tickets at once, each with a second message: the roots take the burst and the
    // steady rate; the entries, queued since, have gathered their messages by then.
    const ids: unknown[] = []
    for (let i = 0; i < 3; i++) {
      const contact = { externalId: String(i), displayName: `C${i}` }
      ids.push((await helpdesk.receive(inbound('Hello', { contact }))).ticketId)
      await helpdesk.receive(inbound('one more thing', { contact }))
    }
    const paced = {
      ...desk.desk,
      rates: { post: { perSecond: 1, burst: 2 }, edit: { perSecond: 1, burst: 2 } },
    }
    const box = outbox({ desk: paced }, { paced: true })
    const visibleAfter: number[] = []
    for (let second = 0; second < 6; second++) {
      await box.drain()
      // Slack messages: a root each, and a post each (entries that went together share one).
      const posts = new Set(desk.log.filter((l) => l.op === 'post').map((l) => l.ts))
      visibleAfter.push(desk.log.filter((l) => l.op === 'open').length + posts.size)
      clock.advance(1_000)
    }
    // Roots at 0, 0 and 1 s; the entries, queued a turn before, at 2, 3 and 4 s: two posts in the
    // first second, as the burst allows, then one a second with no second left unused.
    expect(visibleAfter).toEqual([2, 3, 4, 5, 6, 6])
    for (const id of ids)
      expect(desk.log.filter((l) => l.op === 'post' && l.ticket === id).map((p) => p.entry?.text)).toContain(
        'one more thing',
      )
  })

  it('after a 429 waits as asked, then posts about one a second: Slack has no burst left to give', async () => {
    for (let i = 0; i < 4; i++) {
      await helpdesk.receive(inbound('Hello', { contact: { externalId: String(i), displayName: `C${i}` } }))
    }
    const paced = {
      ...desk.desk,
      rates: { post: { perSecond: 1, burst: 2 }, edit: { perSecond: 1, burst: 2 } },
    }
    desk.failNext(
      new DeskError('rate_limited', 'Slack chat.postMessage is rate limited', { retryAfterMs: 5_000 }),
    )
    const box = outbox({ desk: paced }, { paced: true })
    const posts = () => desk.log.filter((l) => l.op !== 'update').length
    await box.drain()
    expect(posts()).toBe(0)
    clock.advance(5_000)
    await box.drain()
    expect(posts()).toBe(1)
    clock.advance(999)
    await box.drain()
    expect(posts()).toBe(1)
    clock.advance(1)
    await box.drain()
    expect(posts()).toBe(2)
  })

  it('after a 429 gives back the moments it had promised, and starts again from the end of the wait', async () => {
    for (let i = 0; i < 6; i++) {
      await helpdesk.receive(inbound('Hello', { contact: { externalId: String(i), displayName: `C${i}` } }))
    }
    const paced = {
      ...desk.desk,
      rates: { post: { perSecond: 1, burst: 1 }, edit: { perSecond: 1, burst: 1 } },
    }
    const box = outbox({ desk: paced }, { paced: true })
    const posts = () => desk.log.filter((l) => l.op !== 'update').length
    await box.drain() // one post now; the rest are promised a moment each, a second apart
    expect(posts()).toBe(1)
    desk.failNext(
      new DeskError('rate_limited', 'Slack chat.postMessage is rate limited', { retryAfterMs: 1_000 }),
    )
    clock.advance(1_000)
    await box.drain()
    expect(posts()).toBe(1)
    // Slack's wait is over: the channel takes one post a second again, not after the moments given back.
    for (let s = 2; s <= 4; s++) {
      clock.advance(1_000)
      await box.drain()
      expect(posts()).toBe(s)
    }
  })

  it('folds queued root updates into one that shows the latest state', async () => {
    const { ticketId } = await helpdesk.receive(inbound('Hello'))
    await outbox().drain()
    await helpdesk.assign(agent, ticketId!, agent.deskUserId)
    await helpdesk.setStatus(agent, ticketId!, 'pending')
    await helpdesk.setStatus(agent, ticketId!, 'solved')
    desk.log.length = 0
    await outbox().drain()
    expect(desk.log).toHaveLength(1)
    expect(desk.log[0]?.view).toMatchObject({ status: 'solved', assignee: 'UAGENT' })
  })

  it('never sends a note to the customer, even if a row asks for it', async () => {
    // The gate refuses the row for good; a row like that is a bug elsewhere, so an error is right.
    expectLogged('delivery failed for good', { err: /is a note, not a reply/ })
    const { ticketId } = await helpdesk.receive(inbound('Hello'))
    await helpdesk.note(agent, ticketId!, 'secret')
    const note = (await messagesOf(db, ticketId!)).find((m) => m.direction === 'note')!
    await db
      .insertInto('deliveries')
      .values({
        ticket_id: ticketId!,
        lane: 'customer',
        kind: 'customer.message',
        payload: JSON.stringify({ type: 'customer.message', messageId: note.id }),
        status: 'queued',
        attempts: 0,
        ready: 1,
        next_attempt_at: '2000-01-01T00:00:00.000Z',
        created_at: '2000-01-01T00:00:00.000Z',
      })
      .execute()
    await outbox().drain()
    expect(telegram.sent.map((m) => m.text)).not.toContain('secret')
  })
})
