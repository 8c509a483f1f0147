import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { telegramText } from '../fakes/telegram-api.js'
import { AGENT, startHarness, WEBHOOK_SECRET, type Harness } from '../helpers/harness.js'
import { shownInSlack } from '../helpers/slack-posts.js'

describe('Telegram by webhook', () => {
  let h: Harness
  let updateId = 5000
  const update = (message: Record<string, unknown>) => ({ update_id: ++updateId, message })

  beforeEach(async () => {
    h = await startHarness({ telegram: 'webhook' })
  })
  afterEach(async () => {
    await h.stop()
  })

  it('registers the webhook with its secret at start', () => {
    const set = h.telegram.calls.find((c) => c.method === 'setWebhook')
    expect(set?.args).toMatchObject({
      url: 'https://desk.example.com/webhooks/telegram',
      secret_token: WEBHOOK_SECRET,
    })
  })

  it('stores the same update once, however often it arrives', async () => {
    const u = update(telegramText('Hello twice'))
    expect((await h.webhook(u)).status).toBe(200)
    expect((await h.webhook(u)).status).toBe(200)
    const inbound = (await messagesOf(h.db, 1)).filter((m) => m.direction === 'inbound')
    expect(inbound.map((m) => m.text)).toEqual(['Hello twice'])
  })

  it('answers 401 without the right secret and 400 to a body that is not an update; stores nothing', async () => {
    expect((await h.webhook(update(telegramText('no secret')), null)).status).toBe(401)
    expect((await h.webhook(update(telegramText('wrong secret')), 'guess')).status).toBe(401)
    expect((await h.webhook('{"update_id": 1, "message": {')).status).toBe(400)
    expect((await h.webhook('{"hello": "world"}')).status).toBe(400)
    expect(await findTicket(h.db, 1)).toBeUndefined()
    // The process is still serving.
    expect((await h.webhook(update(telegramText('after all that')))).status).toBe(200)
  })

  it('greets on /start without opening a ticket', async () => {
    await h.webhook(update(telegramText('/start')))
    await h.app.outbox.drain()
    expect(h.telegram.sent).toHaveLength(1)
    expect(h.telegram.sent[0]).toMatchObject({ chat_id: '7001' })
    expect(String(h.telegram.sent[0]?.text)).toContain('Hi Ada')
    expect(await findTicket(h.db, 1)).toBeUndefined()
  })

  it('shows a photo in the thread as what it is, with its caption', async () => {
    const base: Record<string, unknown> = telegramText('')
    delete base.text
    await h.webhook(
      update({
        ...base,
        photo: [{ file_id: 'F1', file_unique_id: 'U1', width: 90, height: 90 }],
        caption: 'broken box',
      }),
    )
    await h.app.outbox.drain()
    expect(shownInSlack(h.slack)).toContain('_[photo]_ broken box')
  })

  it('escapes customer text and names so they cannot mention or link anything', async () => {
    const message = telegramText('hey <!channel> <@U123> <https://evil.example|click> & more', {
      id: 7002,
      first_name: '<!here>',
    })
    await h.webhook(update(message))
    await h.app.outbox.drain()
    const posts = h.slack.callsOf('chat.postMessage')
    const escaped = 'hey &lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp; more'
    expect(shownInSlack(h.slack)).toContain(escaped)
    const root = posts.find((p) => p.thread_ts === undefined)
    expect(root?.text).toContain(`&lt;!here&gt;: ${escaped}`)
    expect(JSON.stringify(root)).not.toMatch(/<!(here|channel)>|<@U123>/)
  })

  it('reopens a solved ticket when the customer writes again, and opens a linked follow-up after it closed', async () => {
    await h.webhook(update(telegramText('It is broken')))
    await h.slash('/resolve', '1', AGENT)
    await h.webhook(update(telegramText('Still broken!')))
    expect((await findTicket(h.db, 1))?.status).toBe('open')

    await h.slash('/resolve', '1', AGENT)
    await h.app.helpdesk.close(1)
    await h.webhook(update(telegramText('A new problem')))
    expect(await findTicket(h.db, 2)).toMatchObject({ status: 'new', follow_up_of: 1 })
    await h.app.outbox.drain()
    const root = h.slack
      .callsOf('chat.postMessage')
      .filter((p) => p.thread_ts === undefined)
      .at(-1)
    expect(JSON.stringify(root?.blocks)).toContain('follow-up of #1')
  })
})
