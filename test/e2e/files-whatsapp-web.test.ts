import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { attachmentsOfTicket } from '../../src/db/repos/attachments.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { fakeBytes, fakeSha256, type FakeFile } from '../fakes/files.js'
import { FakeWebClient, watchedWebAdapter, webMessage } from '../fakes/whatsapp-web-client.js'
import { AGENT, startHarness, SUPPORT_CHANNEL, type Harness } from '../helpers/harness.js'
import { sectionsOf } from '../helpers/slack-posts.js'
import { newTs } from '../helpers/slack-requests.js'
import type { watchHost } from '../helpers/watched-host.js'

const file = (size: number, mimeType: string, seed = 1): FakeFile => ({ size, mimeType, seed })
const base64 = (f: FakeFile) => Buffer.concat([...fakeBytes(f)]).toString('base64')

describe('files both ways with a WhatsApp Web customer', () => {
  let h: Harness
  let client: FakeWebClient
  let whatsapp: ReturnType<typeof watchHost>

  beforeEach(async () => {
    client = new FakeWebClient()
    client.onInitialize = () => client.emit('ready')
    whatsapp = watchedWebAdapter(client)
    h = await startHarness({ app: { channels: { adapters: [whatsapp.adapter], routes: [] } } })
  })
  afterEach(async () => {
    await h.stop()
  })

  it("brings a customer's voice note into the thread, fetched again by its message id", async () => {
    const voice = file(12_000, 'audio/ogg; codecs=opus', 2)
    const message = webMessage({ type: 'ptt', body: '', hasMedia: true })
    client.stored.set(message.id._serialized, {
      ...message,
      downloadMedia: () => Promise.resolve({ mimetype: 'audio/ogg; codecs=opus', data: base64(voice) }),
    })
    client.emit('message', message)
    await whatsapp.received.reach(1)
    await h.app.outbox.drain()
    const ticket = (await findTicket(h.db, 1))!
    expect(h.slack.uploads.map((u) => u.sha256)).toEqual([fakeSha256(voice)])
    expect(h.slack.callsOf('files.getUploadURLExternal')[0]?.filename).toMatch(/^voice-\w+\.ogg$/)
    expect((await attachmentsOfTicket(h.db, ticket.id))[0]).toMatchObject({
      kind: 'voice',
      status: 'delivered',
    })
  })

  it('says in the thread when the phone no longer has the media', async () => {
    client.emit('message', webMessage({ type: 'image', body: '', hasMedia: true }))
    await whatsapp.received.reach(1)
    await h.app.outbox.drain()
    const ticket = (await findTicket(h.db, 1))!
    const thread = h.slack
      .callsOf('chat.postMessage')
      .filter((p) => p.thread_ts === ticket.thread_ts)
      .flatMap((p) => [String(p.text), ...sectionsOf(p)])
      .join('\n')
    expect(thread).toMatch(/not shown here \(photo-\w+\.jpg\): WhatsApp Web no longer has the media/)
  })

  it("sends an agent's PDF as a document with its caption", async () => {
    client.emit('message', webMessage({ body: 'Can I get the form?' }))
    await whatsapp.received.reach(1)
    await h.app.outbox.drain()
    const ticket = (await findTicket(h.db, 1))!
    const pdf = file(40_000, 'application/pdf', 3)
    await h.event({
      type: 'message',
      subtype: 'file_share',
      channel: SUPPORT_CHANNEL,
      user: AGENT,
      text: 'Here is the form',
      ts: newTs(),
      thread_ts: ticket.thread_ts,
      files: [h.slack.addFile('F1', 'form.pdf', pdf)],
    })
    await h.app.outbox.drain()
    expect(
      client.sentMedia.map((m) => [
        m.chatId,
        m.media.mimetype,
        m.media.filename,
        createHash('sha256').update(Buffer.from(m.media.data, 'base64')).digest('hex'),
        m.options,
      ]),
    ).toEqual([
      [
        '4915112345678@c.us',
        'application/pdf',
        'form.pdf',
        fakeSha256(pdf),
        { caption: 'Here is the form', sendMediaAsDocument: true },
      ],
    ])
  })
})
