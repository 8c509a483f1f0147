import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { FakeWebClient, watchedWebAdapter, webMessage } from '../fakes/whatsapp-web-client.js'
import { AGENT, startHarness, SUPPORT_CHANNEL, type Harness } from '../helpers/harness.js'
import { openingOf } from '../helpers/slack-posts.js'
import { afterAnswer } from '../helpers/settled.js'
import type { watchHost } from '../helpers/watched-host.js'

describe('WhatsApp Web customers in Slack', () => {
  let h: Harness
  let client: FakeWebClient
  let whatsapp: ReturnType<typeof watchHost>

  beforeEach(async () => {
    client = new FakeWebClient()
    whatsapp = watchedWebAdapter(client)
    h = await startHarness({ app: { channels: { adapters: [whatsapp.adapter], routes: [] } } })
  })
  afterEach(async () => {
    await h.stop()
  })

  it('posts the pairing QR code to the support channel as an image', async () => {
    client.emit('qr', '2@pairing-code,key==,other==')
    await whatsapp.notices.reach(1)
    await h.app.outbox.drain()
    expect(h.slack.callsOf('files.completeUploadExternal')).toHaveLength(1)
    expect(h.slack.callsOf('files.getUploadURLExternal')[0]).toMatchObject({
      filename: 'whatsapp-pairing-qr.png',
    })
    // The SDK posts the bytes as multipart form data; the PNG is inside it, whole.
    expect(
      h.slack.uploads[0]?.bytes.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    ).toBe(true)
    expect(h.slack.callsOf('files.completeUploadExternal')[0]).toMatchObject({
      channel_id: SUPPORT_CHANNEL,
      initial_comment: expect.stringContaining('WhatsApp Web needs pairing') as unknown,
    })
  })

  it('turns a direct message into a ticket and sends the thread reply back to the chat', async () => {
    client.emit('ready')
    client.emit('message', webMessage({ body: 'Is my order shipped?' }))
    await whatsapp.received.reach(1)
    await h.app.outbox.drain()
    const ticket = (await findTicket(h.db, 1))!
    const root = h.slack.callsOf('chat.postMessage').find((p) => p.thread_ts === undefined)
    expect(JSON.stringify(root?.blocks)).toContain('Katherine')
    expect(openingOf(root ?? {})).toBe('Is my order shipped?')
    expect(client.sent.map((s) => s.chatId)).toEqual(['4915112345678@c.us']) // the ticket confirmation
    await h.threadReply(ticket.thread_ts!, AGENT, 'Yes, it left today')
    await afterAnswer(async () =>
      expect((await messagesOf(h.db, 1)).some((m) => m.text === 'Yes, it left today')).toBe(true),
    )
    await h.app.outbox.drain()
    expect(client.sent.at(-1)).toEqual({ chatId: '4915112345678@c.us', content: 'Yes, it left today' })
  })

  it('keeps replies queued while disconnected and sends them once connected', async () => {
    client.emit('message', webMessage({ body: 'Hello?' }))
    await whatsapp.received.reach(1)
    await h.app.outbox.drain()
    expect(client.sent).toEqual([])
    client.emit('ready')
    h.clock.advance(60_000)
    await h.app.outbox.drain()
    expect(client.sent).toHaveLength(1)
  })

  it('reads the messages that arrived while it was away, once each', async () => {
    const missed = webMessage({ body: 'Sent while you were down' })
    client.emit('message', missed) // this one was stored before the restart
    await whatsapp.received.reach(1)
    client.unread = [missed, webMessage({ body: 'Anyone there?' })]
    client.emit('ready')
    // Both unread messages are passed on again; the one already stored changes nothing.
    await whatsapp.received.reach(3)
    expect((await messagesOf(h.db, 1)).filter((m) => m.direction === 'inbound').map((m) => m.text)).toEqual([
      'Sent while you were down',
      'Anyone there?',
    ])
  })
})
