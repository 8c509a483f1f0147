import { afterEach, describe, expect, it } from 'vitest'
import { CHANNEL_MODULES } from '../../adapters/index.js'
import { loadConfig } from '../../src/config.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { lineChannel, LINE_WEBHOOK_PATH } from '../fakes/line-channel.js'
import { AGENT, startHarness, type Harness } from '../helpers/harness.js'
import { openingOf } from '../helpers/slack-posts.js'
import { afterAnswer } from '../helpers/settled.js'

const TOKEN = 'line-token-1'

/** A platform added the way a new one is: its own module, registered beside the others. */
describe('a channel added through the registry alone', () => {
  let h: Harness | undefined
  const line = lineChannel()
  let id = 0

  const start = async (env: Record<string, string> = {}): Promise<Harness> => {
    line.sent.length = 0
    return (h = await startHarness({
      channelModules: [...CHANNEL_MODULES, line.module],
      env: { LINE_CHANNEL_TOKEN: TOKEN, ...env },
    }))
  }
  const customerWrites = (h: Harness, text: string, token = TOKEN) =>
    fetch(`${h.base}${LINE_WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-token': token },
      body: JSON.stringify({
        events: [{ id: `m${++id}`, userId: 'U-line-1', name: 'Lin', text, timestamp: Date.now() }],
      }),
    })

  afterEach(async () => {
    await h?.stop()
    h = undefined
  })

  it('turns on from its own variables, and names them when they are wrong', () => {
    const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret-123', SLACK_SUPPORT_CHANNEL: 'C1' }
    const modules = [...CHANNEL_MODULES, line.module]
    expect(loadConfig(env, modules).channels.map((c) => c.id)).toEqual([])
    expect(loadConfig({ ...env, LINE_CHANNEL_TOKEN: TOKEN }, modules).channels.map((c) => c.id)).toEqual([
      'line',
    ])
    expect(() => loadConfig({ ...env, LINE_CHANNEL_TOKEN: 'x' }, modules)).toThrow(
      'LINE_CHANNEL_TOKEN is too short to be a channel token',
    )
    expect(() => loadConfig({ ...env, REPLY_MODE_LINE: 'loud' }, modules)).toThrow(
      'REPLY_MODE_LINE must be send or internal',
    )
  })

  it('opens a ticket in Slack under its label, and carries an agent reply back in its own text', async () => {
    const h = await start()
    expect((await customerWrites(h, 'My order never came', 'wrong')).status).toBe(401)
    expect((await customerWrites(h, 'My order never came')).status).toBe(200)
    await h.app.outbox.drain()

    const ticket = (await findTicket(h.db, 1))!
    expect(ticket.channel).toBe('line')
    const root = h.slack.callsOf('chat.postMessage')[0]!
    expect(JSON.stringify(root.blocks)).toContain('LINE')
    expect(JSON.stringify(root.blocks)).toContain('Lin')
    expect(openingOf(root)).toBe('My order never came')

    line.sent.length = 0
    await afterAnswer(() =>
      h.threadReply(ticket.thread_ts!, AGENT, '*Sorry* for the wait, it ships today with the next truck'),
    )
    await h.app.outbox.drain()
    // Plain text (the channel's flavour), in parts no longer than the channel's limit.
    expect(line.sent.map((m) => m.text).join('')).toBe(
      'Sorry for the wait, it ships today with the next truck',
    )
    expect(line.sent.every((m) => m.text.length <= 40 && m.to === 'U-line-1')).toBe(true)

    expect(await h.slash('/tickets', 'channel:line', AGENT)).toContain('LINE')
    expect(await h.slash('/tickets', 'channel:lime', AGENT)).toContain('`lime` is not a channel')
  })

  it('keeps its tickets internal when its reply mode says so', async () => {
    const h = await start({ REPLY_MODE_LINE: 'internal' })
    await customerWrites(h, 'Hello?')
    await h.app.outbox.drain()
    const ticket = (await findTicket(h.db, 1))!
    line.sent.length = 0
    await afterAnswer(() => h.threadReply(ticket.thread_ts!, AGENT, 'checking with billing first'))
    await h.app.outbox.drain()
    expect(line.sent).toEqual([])
  })
})
