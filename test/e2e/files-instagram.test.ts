import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { attachmentsOfTicket } from '../../src/db/repos/attachments.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { fakeSha256, type FakeFile } from '../fakes/files.js'
import { IG_CUSTOMER, instagramText, instagramWebhook, mid } from '../fixtures/instagram.js'
import { AGENT, startHarness, SUPPORT_CHANNEL, type Harness } from '../helpers/harness.js'
import { newTs } from '../helpers/slack-requests.js'

const file = (size: number, mimeType: string, seed = 1): FakeFile => ({ size, mimeType, seed })

describe('files both ways with an Instagram customer', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness({ instagram: true })
    h.graph.profiles.set(IG_CUSTOMER, { name: 'Ada Lovelace', username: 'ada.codes' })
  })
  afterEach(async () => {
    await h.stop()
  })

  async function ticketFromInstagram() {
    expect((await h.meta(instagramText('Is this the right size?'))).status).toBe(200)
    await h.app.outbox.drain()
    h.graph.sent.length = 0
    return (await findTicket(h.db, 1))!
  }

  it("brings a customer's photo and voice clip from Instagram's CDN into the thread", async () => {
    const ticket = await ticketFromInstagram()
    const photo = file(50_000, 'image/jpeg', 3)
    const clip = file(20_000, 'audio/mp4', 4)
    await h.meta(
      instagramWebhook({
        message: {
          mid: mid(),
          attachments: [
            { type: 'image', payload: { url: h.graph.cdnUrl('v/t51/photo.jpg?oh=1', photo) } },
            { type: 'audio', payload: { url: h.graph.cdnUrl('v/t59/clip.mp4?oh=2', clip) } },
          ],
        },
      }),
    )
    await h.app.outbox.drain()
    expect(h.slack.uploads.map((u) => u.sha256)).toEqual([fakeSha256(photo), fakeSha256(clip)])
    expect((await attachmentsOfTicket(h.db, ticket.id)).map((a) => [a.kind, a.status])).toEqual([
      ['photo', 'delivered'],
      ['audio', 'delivered'],
    ])
  })

  it("sends an agent's reply and its image: the words first, since Instagram attachments have no caption", async () => {
    const ticket = await ticketFromInstagram()
    const png = file(90_000, 'image/png', 5)
    await h.event({
      type: 'message',
      subtype: 'file_share',
      channel: SUPPORT_CHANNEL,
      user: AGENT,
      text: 'This chart shows the sizes',
      ts: newTs(),
      thread_ts: ticket.thread_ts,
      files: [h.slack.addFile('F1', 'sizes.png', png)],
    })
    await h.app.outbox.drain()
    expect(h.graph.sent.map((s) => s.body.message)).toEqual([{ text: 'This chart shows the sizes' }])
    expect(h.graph.uploads).toEqual([
      {
        path: expect.stringMatching(/\/messages$/) as string,
        fields: {
          recipient: JSON.stringify({ id: IG_CUSTOMER }),
          message: JSON.stringify({ attachment: { type: 'image', payload: { is_reusable: false } } }),
          messaging_type: 'RESPONSE',
        },
        file: { name: 'sizes.png', type: 'image/png', size: 90_000, sha256: fakeSha256(png) },
      },
    ])
  })
})
