import { beforeEach, describe, expect, it } from 'vitest'
import { createWhatsAppWebAdapter } from '../../../adapters/whatsapp-web/index.js'
import { DeskError } from '../../../src/core/errors.js'
import type {
  ChannelAdapter,
  ChannelHost,
  DeliveryStatusUpdate,
  DeskNotice,
  InboundMessage,
} from '../../../src/core/ports.js'
import { FakeWebClient, webMessage } from '../../fakes/whatsapp-web-client.js'
import { arrivals, type Arrivals } from '../../helpers/arrivals.js'
import { manualClock, type ManualClock } from '../../helpers/clock.js'
import { expectLogged, testLog } from '../../helpers/log.js'

describe('the whatsapp-web.js adapter', () => {
  /** The clients the adapter made and initialized (its listeners are on by then), oldest first. */
  let clients: Arrivals<FakeWebClient>
  let clock: ManualClock
  let waits: number[]
  let received: InboundMessage[]
  let notices: Arrivals<DeskNotice>
  let statuses: DeliveryStatusUpdate[]
  let printed: Arrivals<string>
  let adapter: ChannelAdapter
  let failInitialize: Error | undefined
  const client = () => clients.items.at(-1)!

  beforeEach(async () => {
    clients = arrivals()
    failInitialize = undefined
    clock = manualClock()
    waits = []
    received = []
    notices = arrivals()
    statuses = []
    printed = arrivals()
    adapter = createWhatsAppWebAdapter({
      createClient: () => {
        const c = new FakeWebClient()
        c.failInitialize = failInitialize
        c.onInitialize = () => clients.push(c)
        return Promise.resolve(c)
      },
      chatGapMs: 3_000,
      globalGapMs: 1_000,
      reconnect: { baseMs: 5_000, maxMs: 60_000 },
      clock,
      // Time passes at once, but like a real timer the wait yields to other work first.
      sleep: (ms) => {
        waits.push(ms)
        clock.advance(ms)
        return new Promise((resolve) => setImmediate(resolve))
      },
      printQr: (art) => printed.push(art),
      log: testLog(),
    })
    const host: ChannelHost = {
      receive: (m) => (received.push(m), Promise.resolve()),
      notify: (n) => (notices.push(n), Promise.resolve()),
      deliveryStatus: (s) => (statuses.push(s), Promise.resolve()),
    }
    await adapter.start(host)
  })

  it('passes on direct messages and ignores groups, stories, broadcasts and its own messages', () => {
    client().emit('message', webMessage({ body: 'I need help' }))
    client().emit('message', webMessage({ from: '120363025246125486@g.us' }))
    client().emit('message', webMessage({ from: 'status@broadcast', isStatus: true }))
    client().emit('message', webMessage({ broadcast: true }))
    client().emit('message', webMessage({ fromMe: true }))
    client().emit('message', webMessage({ type: 'ptt', body: '' }))
    expect(received.map((m) => [m.kind, m.text, m.contact.displayName, m.contact.externalId])).toEqual([
      ['text', 'I need help', 'Katherine', '4915112345678@c.us'],
      ['voice', '', 'Katherine', '4915112345678@c.us'],
    ])
  })

  it('shows a pairing QR code in the terminal and in the support channel, then says when it is paired', async () => {
    client().emit('qr', '2@ABCDEF,ghijkl==,mnop==')
    await notices.reach(1)
    expect(notices.items[0]?.text).toContain('WhatsApp Web needs pairing')
    expect(notices.items[0]?.image?.png.subarray(1, 4).toString()).toBe('PNG')
    await printed.reach(1)
    client().emit('ready')
    await notices.reach(2)
    expect(notices.items[1]?.text).toBe(':white_check_mark: WhatsApp Web is connected as +4930123456.')
  })

  it('says nothing on a quiet start with a saved session', async () => {
    client().emit('ready')
    await adapter.send({ channel: 'whatsapp', to: '4915112345678@c.us', text: 'hi' })
    expect(notices.items).toEqual([])
  })

  it('refuses to send until connected (the outbox retries), then sends to the chat', async () => {
    const early = adapter.send({ channel: 'whatsapp', to: '4915112345678@c.us', text: 'too early' })
    await expect(early).rejects.toBeInstanceOf(DeskError)
    await expect(early).rejects.toMatchObject({ code: 'unavailable', retryable: true })
    client().emit('ready')
    const sent = await adapter.send({ channel: 'whatsapp', to: '4915112345678@c.us', text: 'now' })
    expect(client().sent).toEqual([{ chatId: '4915112345678@c.us', content: 'now' }])
    expect(sent.externalMessageId).toBe('true_4915112345678@c.us_OUT1')
  })

  it('paces sends: a gap per chat and a gap overall', async () => {
    client().emit('ready')
    const send = (to: string) => adapter.send({ channel: 'whatsapp', to, text: 'x' })
    await send('a@c.us')
    await send('a@c.us') // same chat: 3 s after the first
    await send('b@c.us') // another chat: 1 s after the last send
    await send('b@c.us') // 3 s after b's first
    expect(waits).toEqual([3_000, 1_000, 3_000])
    expect(client().sent).toHaveLength(4)
  })

  it('reconnects with growing delays after a disconnect, and tells the support channel a logout needs a new QR', async () => {
    expectLogged('whatsapp web session refused', { reason: 'restore failed' })
    client().emit('ready')
    client().emit('disconnected', 'LOGOUT')
    await clients.reach(2)
    expect(clients.items[0]?.destroyed).toBe(1)
    expect(clients.items[1]?.initialized).toBe(1)
    expect(notices.items[0]?.text).toContain(
      'was logged out from the phone. Scan the new QR code to pair again',
    )
    await expect(adapter.send({ channel: 'whatsapp', to: 'a@c.us', text: 'x' })).rejects.toMatchObject({
      code: 'unavailable',
    })

    client().emit('disconnected', 'NAVIGATION')
    await clients.reach(3)
    client().emit('auth_failure', 'restore failed')
    await clients.reach(4)
    expect(waits).toEqual([5_000, 10_000, 20_000])
    expect(notices.items.at(-1)?.text).toContain('refused the saved session (restore failed)')

    client().emit('ready') // a healthy connection resets the backoff
    client().emit('disconnected', 'CONFLICT')
    await clients.reach(5)
    expect(waits.at(-1)).toBe(5_000)
  })

  it('reports acknowledgements of its own messages as delivery statuses', () => {
    const ours = webMessage({ fromMe: true, id: { _serialized: 'true_x@c.us_OUT1' } })
    client().emit('message_ack', ours, 2)
    client().emit('message_ack', ours, 3)
    client().emit('message_ack', ours, 0) // still pending: nothing to say
    client().emit('message_ack', webMessage(), 3) // not ours
    expect(statuses.map((s) => s.status)).toEqual(['delivered', 'read'])
    expect(statuses[0]).toEqual({
      channel: 'whatsapp',
      externalMessageId: 'true_x@c.us_OUT1',
      status: 'delivered',
    })
  })

  it('stops for good: the client is closed and no reconnect follows', async () => {
    await adapter.stop()
    client().emit('disconnected', 'NAVIGATION')
    await new Promise((r) => setImmediate(r))
    expect(clients.items).toHaveLength(1)
    expect(clients.items[0]?.destroyed).toBe(1)
  })

  it('tells the support channel once when the browser cannot start, and keeps retrying', async () => {
    // Once per retry: the support channel hears of it once, the log on every attempt.
    expectLogged('whatsapp web did not start', { err: /Browser was not found/ })
    failInitialize = new Error('Browser was not found at the configured executablePath (/nope)')
    client().emit('disconnected', 'NAVIGATION') // the next clients fail to start
    await clients.reach(4) // three of them failed to start
    const startFailures = notices.items.filter((n) => n.text.includes('could not start'))
    expect(startFailures.map((n) => n.text)).toEqual([
      ':warning: WhatsApp Web could not start: Browser was not found at the configured executablePath (/nope). Retrying with growing delays.',
    ])
    await adapter.stop()
  })
})
