import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { attachmentsOfTicket } from '../../src/db/repos/attachments.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { fakeSha256, type FakeFile } from '../fakes/files.js'
import { CUSTOMER, customerMessage, textMessage } from '../fixtures/whatsapp-cloud.js'
import { AGENT, startHarness, SUPPORT_CHANNEL, type Harness } from '../helpers/harness.js'
import { expectLogged } from '../helpers/log.js'
import { sectionsOf } from '../helpers/slack-posts.js'
import { newTs } from '../helpers/slack-requests.js'

const MB = 1024 * 1024
const file = (size: number, mimeType: string, seed = 1): FakeFile => ({ size, mimeType, seed })

describe('files both ways with a WhatsApp Cloud API customer', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness({ whatsappCloud: true })
  })
  afterEach(async () => {
    await h.stop()
  })

  async function ticketFromWhatsApp() {
    expect((await h.meta(textMessage('About my order'))).status).toBe(200)
    await h.app.outbox.drain()
    h.graph.sent.length = 0
    return (await findTicket(h.db, 1))!
  }

  const threadText = (threadTs: string | null) =>
    h.slack
      .callsOf('chat.postMessage')
      .filter((p) => p.thread_ts === threadTs)
      .flatMap((p) => [String(p.text), ...sectionsOf(p)])
      .join('\n')

  it("brings a customer's photo and voice note into the thread, fetched with the token", async () => {
    const ticket = await ticketFromWhatsApp()
    const photo = file(120_000, 'image/jpeg', 3)
    const voice = file(9_000, 'audio/ogg', 4)
    h.graph.addMedia('MEDIA-1', photo)
    h.graph.addMedia('MEDIA-2', voice)
    await h.meta(
      customerMessage({
        type: 'image',
        image: { id: 'MEDIA-1', mime_type: 'image/jpeg', caption: 'the dent' },
      }),
    )
    await h.meta(
      customerMessage({
        type: 'audio',
        audio: { id: 'MEDIA-2', mime_type: 'audio/ogg; codecs=opus', voice: true },
      }),
    )
    await h.app.outbox.drain()

    expect(h.slack.uploads.map((u) => u.sha256)).toEqual([fakeSha256(photo), fakeSha256(voice)])
    expect(h.slack.callsOf('files.completeUploadExternal').map((c) => c.thread_ts)).toEqual([
      ticket.thread_ts,
      ticket.thread_ts,
    ])
    expect(h.slack.callsOf('files.getUploadURLExternal').map((c) => c.filename)).toEqual([
      expect.stringMatching(/^photo-.+\.jpg$/),
      expect.stringMatching(/^voice-.+\.ogg$/),
    ])
    expect((await attachmentsOfTicket(h.db, ticket.id)).map((a) => [a.kind, a.mime_type, a.status])).toEqual([
      ['photo', 'image/jpeg', 'delivered'],
      ['voice', 'audio/ogg', 'delivered'],
    ])
  })

  it('says in the thread that media WhatsApp no longer serves is not shown', async () => {
    const ticket = await ticketFromWhatsApp()
    h.graph.addMedia('MEDIA-OLD', { ...file(5000, 'application/pdf'), expired: true })
    await h.meta(
      customerMessage({
        type: 'document',
        document: { id: 'MEDIA-OLD', mime_type: 'application/pdf', filename: 'bill.pdf' },
      }),
    )
    await h.app.outbox.drain()
    expect(h.slack.uploads).toEqual([])
    expect(threadText(ticket.thread_ts)).toContain(
      'The customer sent a file that is not shown here (bill.pdf): WhatsApp media download answered 404: the file is gone or its link expired',
    )
  })

  it("uploads an agent's PDF to WhatsApp and sends it as a document with its caption", async () => {
    const ticket = await ticketFromWhatsApp()
    const pdf = file(400_000, 'application/pdf', 8)
    await h.event({
      type: 'message',
      subtype: 'file_share',
      channel: SUPPORT_CHANNEL,
      user: AGENT,
      text: 'Your invoice',
      ts: newTs(),
      thread_ts: ticket.thread_ts,
      files: [h.slack.addFile('F1', 'invoice.pdf', pdf)],
    })
    await h.app.outbox.drain()

    expect(h.graph.uploads).toEqual([
      {
        path: expect.stringMatching(/\/media$/) as string,
        fields: { messaging_product: 'whatsapp', type: 'application/pdf' },
        file: { name: 'invoice.pdf', type: 'application/pdf', size: 400_000, sha256: fakeSha256(pdf) },
      },
    ])
    expect(h.graph.sent.map((s) => s.body)).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: CUSTOMER,
        type: 'document',
        document: { id: 'media-up-1', caption: 'Your invoice', filename: 'invoice.pdf' },
      },
    ])
  })

  it("refuses, before anything is queued, a file over WhatsApp's own limit for its kind", async () => {
    const ticket = await ticketFromWhatsApp()
    await h.event({
      type: 'message',
      subtype: 'file_share',
      channel: SUPPORT_CHANNEL,
      user: AGENT,
      text: '',
      ts: newTs(),
      thread_ts: ticket.thread_ts,
      files: [h.slack.addFile('F1', 'screenshot.png', file(6 * MB, 'image/png'))],
    })
    await h.app.outbox.drain()
    expect(h.slack.callsOf('chat.postEphemeral').map((p) => p.text)).toEqual([
      ':warning: Nothing of that message was sent: screenshot.png is 6 MB; WhatsApp takes image files up to 5 MB.',
    ])
    expect(h.graph.uploads).toEqual([])
  })

  it('says in the thread why WhatsApp refused an upload', async () => {
    expectLogged('delivery failed for good')
    const ticket = await ticketFromWhatsApp()
    h.graph.failNext({ status: 400, code: 131053, message: 'Media upload error' })
    await h.event({
      type: 'message',
      subtype: 'file_share',
      channel: SUPPORT_CHANNEL,
      user: AGENT,
      text: 'The photo',
      ts: newTs(),
      thread_ts: ticket.thread_ts,
      files: [h.slack.addFile('F1', 'photo.jpg', file(1000, 'image/jpeg'))],
    })
    await h.app.outbox.drain()
    expect(threadText(ticket.thread_ts)).toContain(
      'A message to the customer could not be delivered: WhatsApp Cloud API answered 400 (131053): Media upload error',
    )
  })
})
