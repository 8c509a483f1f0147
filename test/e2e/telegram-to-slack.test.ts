import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { telegramText } from '../fakes/telegram-api.js'
import { expectLogged } from '../helpers/log.js'
import { AGENT, startHarness, SUPPORT_CHANNEL, type Harness } from '../helpers/harness.js'
import { openingOf } from '../helpers/slack-posts.js'
import { afterAnswer } from '../helpers/settled.js'

describe('a Telegram customer and a Slack thread, end to end (long polling)', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness({ telegram: 'polling' })
  })
  afterEach(async () => {
    await h.stop()
  })

  async function ticketFromTelegram(text: string) {
    const update = h.telegram.push(telegramText(text, { id: 7001, first_name: 'Ada', username: 'ada' }))
    await h.telegram.confirmed(update.update_id)
    await h.app.outbox.drain()
    return (await findTicket(h.db, 1))!
  }

  it('opens a ticket with a root message that shows the customer message, and posts the next in its thread', async () => {
    const ticket = await ticketFromTelegram('My order #5531 never arrived')

    const posts = h.slack.callsOf('chat.postMessage')
    const root = posts[0]!
    expect(root.channel).toBe(SUPPORT_CHANNEL)
    expect(root.thread_ts).toBeUndefined()
    expect(JSON.stringify(root.blocks)).toContain('#1')
    expect(JSON.stringify(root.blocks)).toContain('Telegram')
    expect(JSON.stringify(root.blocks)).toContain('Ada')
    expect(JSON.stringify(root.blocks)).toContain('Assign to me')
    expect(JSON.stringify(root.blocks)).toContain('Resolve')

    expect(openingOf(root)).toBe('My order #5531 never arrived')
    expect(await messagesOf(h.db, ticket.id)).toContainEqual(
      expect.objectContaining({ text: 'My order #5531 never arrived', desk_ts: ticket.thread_ts }),
    )

    const next = h.telegram.push(
      telegramText('It was due Monday', { id: 7001, first_name: 'Ada', username: 'ada' }),
    )
    await h.telegram.confirmed(next.update_id)
    await h.app.outbox.drain()
    const inThread = h.slack.callsOf('chat.postMessage').filter((p) => p.thread_ts === ticket.thread_ts)
    expect(inThread.find((p) => p.text === 'It was due Monday')?.username).toBe('Ada (Telegram)')

    // The customer is told the ticket number.
    expect(h.telegram.sent).toHaveLength(1)
    expect(h.telegram.sent[0]).toMatchObject({ chat_id: '7001' })
    expect(String(h.telegram.sent[0]!.text)).toContain('#1')
  })

  it("sends an agent's thread reply to the customer on Telegram", async () => {
    const ticket = await ticketFromTelegram('Where is my parcel?')
    h.telegram.sent.length = 0

    const res = await h.threadReply(ticket.thread_ts!, AGENT, 'It ships today &amp; arrives Friday')
    expect(res.status).toBe(200)
    await afterAnswer(async () =>
      expect(
        (await messagesOf(h.db, ticket.id)).some((m) => m.direction === 'outbound' && m.agent_id !== null),
      ).toBe(true),
    )
    await h.app.outbox.drain()

    expect(h.telegram.sent).toEqual([
      expect.objectContaining({ chat_id: '7001', text: 'It ships today & arrives Friday' }),
    ])
    const after = await findTicket(h.db, ticket.id)
    expect(after?.status).toBe('open')
    // The root message shows the new status and the agent who answered.
    const update = h.slack.callsOf('chat.update').at(-1)
    expect(JSON.stringify(update?.blocks)).toContain(`<@${AGENT}>`)
  })
})

describe('malformed Telegram updates (long polling)', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  it('skips a malformed update and stores the ones behind it', async () => {
    h = await startHarness({ telegram: 'polling' })
    h.telegram.push(telegramText('before'))
    h.telegram.push({ ...telegramText(''), text: undefined, location: null })
    h.telegram.push({ ...telegramText(''), text: undefined, photo: [{}], caption: 99 })
    const last = h.telegram.push({
      ...telegramText('after'),
      from: { id: 7001, first_name: 'Ada', language_code: 7 },
    })
    await h.telegram.confirmed(last.update_id)
    const inbound = async () => (await messagesOf(h.db, 1)).filter((m) => m.direction === 'inbound')
    expect((await inbound()).map((m) => m.text)).toEqual(['before', '99', 'after'])
    expect(h.log.filter('warn', 'skipped a telegram update whose message is malformed')).toHaveLength(1)
  })
})

describe('a second process polling with the same token', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  it('is said in Slack and retried, and polling goes on once it stops', async () => {
    expectLogged('telegram getUpdates failed, retrying', { err: /409/ })
    h = await startHarness({ telegram: 'polling' })
    h.telegram.failNext('getUpdates', {
      error_code: 409,
      description: 'Conflict: terminated by other getUpdates request',
    })
    h.telegram.push(telegramText('first'))
    const second = h.telegram.push(telegramText('second'))
    await h.telegram.confirmed(second.update_id)
    const inbound = async () => (await messagesOf(h.db, 1)).filter((m) => m.direction === 'inbound')
    expect((await inbound()).map((m) => m.text)).toEqual(['first', 'second'])
    const notices = await h.db
      .selectFrom('deliveries')
      .select('payload')
      .where('kind', '=', 'desk.notice')
      .execute()
    const texts = notices.map((n) => (JSON.parse(n.payload) as { text: string }).text)
    expect(texts.some((t) => t.includes('another process polls with the same TELEGRAM_BOT_TOKEN'))).toBe(true)
    expect(texts.some((t) => t.includes('received again'))).toBe(true)
  })
})
