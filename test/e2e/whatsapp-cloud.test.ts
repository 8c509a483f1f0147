import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import {
  CUSTOMER,
  customerMessage,
  PHONE_NUMBER_ID,
  statusReport,
  textMessage,
  wamid,
} from '../fixtures/whatsapp-cloud.js'
import { AGENT, META_VERIFY_TOKEN, startHarness, type Harness } from '../helpers/harness.js'
import { openingOf, sectionsOf } from '../helpers/slack-posts.js'
import { expectLogged } from '../helpers/log.js'
import { afterAnswer } from '../helpers/settled.js'

describe('WhatsApp Business Cloud API', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness({ whatsappCloud: true })
  })
  afterEach(async () => {
    await h.stop()
  })

  /** A customer message through the webhook, and its ticket once Slack shows it. */
  async function ticketFromWhatsApp(body = 'My card was charged twice') {
    expect((await h.meta(textMessage(body))).status).toBe(200)
    await h.app.outbox.drain()
    const ticket = (await findTicket(h.db, 1))!
    h.graph.sent.length = 0
    h.slack.reset()
    return ticket
  }

  describe('the webhook', () => {
    it('answers the verify handshake with the challenge, 403 to a wrong token and 400 to a bad request', async () => {
      const verify = (token: string) =>
        fetch(`${h.base}/webhooks/meta?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`)
      const ok = await verify(META_VERIFY_TOKEN)
      expect([ok.status, await ok.text()]).toEqual([200, '1158201444'])
      expect((await verify('guess')).status).toBe(403)
      expect((await fetch(`${h.base}/webhooks/meta?hub.mode=subscribe`)).status).toBe(400)
    })

    it('refuses a forged signature with 401 and a malformed body with 400, storing nothing', async () => {
      const body = textMessage('forged')
      expect((await h.meta(body, 'sha256=' + '0'.repeat(64))).status).toBe(401)
      expect((await h.meta(body, null)).status).toBe(401)
      expect((await h.meta('{"object": "whatsapp_business_account", "entry": [')).status).toBe(400)
      expect((await h.meta({ hello: 'world' })).status).toBe(400)
      expect(await findTicket(h.db, 1)).toBeUndefined()
    })

    it('skips malformed items of a signed batch and stores the rest, answering 200', async () => {
      const good = (body: string) => ({
        from: CUSTOMER,
        id: wamid(),
        timestamp: '1795424400',
        type: 'text',
        text: { body },
      })
      const batch = customerMessage({ type: 'text', text: { body: 'first' } })
      const value = batch.entry[0]!.changes[0]!.value as unknown as {
        messages: unknown[]
        contacts: unknown[]
      }
      value.messages.push(
        { ...good('x'), type: 'image', image: { caption: 7 }, text: undefined },
        { ...good('x'), type: 'contacts', contacts: [null], text: undefined },
        null,
        { id: wamid(), type: 'text', text: { body: 'no sender' } },
        good('last'),
      )
      value.contacts.push(null)
      const batchWithNullChange = { ...batch, entry: [...batch.entry, { id: '1', changes: [null] }, null] }
      expect((await h.meta(batchWithNullChange)).status).toBe(200)
      const stored = (await messagesOf(h.db, 1)).filter((m) => m.direction === 'inbound').map((m) => m.text)
      expect(stored).toEqual(['first', '7', 'last'])
    })

    it('acknowledges products that are not enabled, so Meta does not retry them', async () => {
      expect((await h.meta({ object: 'page', entry: [] })).status).toBe(200)
    })

    it('stores a message delivered twice once', async () => {
      const id = wamid()
      await h.meta(textMessage('Hello', id))
      await h.meta(textMessage('Hello', id))
      const inbound = (await messagesOf(h.db, 1)).filter((m) => m.direction === 'inbound')
      expect(inbound.map((m) => [m.text, m.external_id])).toEqual([['Hello', id]])
    })

    it('ignores messages for another phone number of the business account', async () => {
      const other = JSON.parse(JSON.stringify(textMessage('not ours'))) as ReturnType<typeof textMessage>
      ;(other.entry[0]!.changes[0]!.value.metadata as { phone_number_id: string }).phone_number_id = '999'
      expect((await h.meta(other)).status).toBe(200)
      expect(await findTicket(h.db, 1)).toBeUndefined()
    })
  })

  describe('customer messages', () => {
    it('open a ticket under the WhatsApp profile name and confirm it through the Graph API', async () => {
      await h.meta(textMessage('My card was charged twice'))
      await h.app.outbox.drain()
      const root = h.slack.callsOf('chat.postMessage').find((p) => p.thread_ts === undefined)
      expect(JSON.stringify(root?.blocks)).toContain('Grace Hopper')
      expect(JSON.stringify(root?.blocks)).toContain('WhatsApp')
      // The root shows the customer's first message itself.
      expect(openingOf(root ?? {})).toBe('My card was charged twice')
      expect(h.graph.sent).toHaveLength(1)
      const [confirmation] = h.graph.sent
      expect(confirmation?.path).toBe(`/v21.0/${PHONE_NUMBER_ID}/messages`)
      expect(confirmation?.authorization).toBe('Bearer EAAG-test-token')
      expect(confirmation?.body).toMatchObject({ messaging_product: 'whatsapp', to: CUSTOMER, type: 'text' })
      expect(String((confirmation?.body.text as { body: string }).body)).toContain('#1')
    })

    it('show media, locations, contacts and button replies in the thread as what they are', async () => {
      await ticketFromWhatsApp()
      h.graph.addMedia('M1', { size: 2000, mimeType: 'image/jpeg', seed: 1 })
      h.graph.addMedia('M2', { size: 3000, mimeType: 'audio/ogg', seed: 2 })
      for (const message of [
        { type: 'image', image: { id: 'M1', mime_type: 'image/jpeg', caption: 'the receipt' } },
        { type: 'audio', audio: { id: 'M2', mime_type: 'audio/ogg', voice: true } },
        { type: 'location', location: { latitude: 52.52, longitude: 13.405, name: 'Shop' } },
        {
          type: 'contacts',
          contacts: [{ name: { formatted_name: 'Bob' }, phones: [{ phone: '+49 30 1234' }] }],
        },
        {
          type: 'interactive',
          interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes, refund' } },
        },
      ]) {
        await h.meta(customerMessage(message))
      }
      await h.app.outbox.drain()
      // Each photo and voice note is followed by its file; the rest, queued together, share one
      // post under the customer's name, one section each.
      const posts = h.slack.callsOf('chat.postMessage')
      expect(posts.map((p) => String(p.text).split('\n')[0])).toEqual([
        '_[photo]_ the receipt',
        '_[voice message]_',
        '_[location]_ 52.52, 13.405 (Shop)',
      ])
      expect(h.slack.callsOf('files.getUploadURLExternal').map((c) => c.filename)).toEqual([
        expect.stringMatching(/^photo-.+\.jpg$/),
        expect.stringMatching(/^voice-.+\.ogg$/),
      ])
      expect(posts[2]?.username).toBe('Grace Hopper (WhatsApp)')
      expect(sectionsOf(posts[2]!)).toEqual([
        '_[location]_ 52.52, 13.405 (Shop)',
        '_[contact card]_ Bob +49 30 1234',
        '_[chose]_ Yes, refund',
      ])
    })
  })

  describe('replies', () => {
    it('reach the customer through the Graph API; delivered and read mark the reply in Slack', async () => {
      const ticket = await ticketFromWhatsApp()
      const res = await h.threadReply(ticket.thread_ts!, AGENT, 'Refunded, sorry!')
      expect(res.status).toBe(200)
      await afterAnswer(async () =>
        expect((await messagesOf(h.db, 1)).some((m) => m.text === 'Refunded, sorry!')).toBe(true),
      )
      await h.app.outbox.drain()
      expect(h.graph.sent.map((s) => s.body.text)).toEqual([{ preview_url: false, body: 'Refunded, sorry!' }])

      const reply = (await messagesOf(h.db, 1)).find((m) => m.text === 'Refunded, sorry!')!
      await h.meta(statusReport(reply.external_id!, 'delivered'))
      await h.meta(statusReport(reply.external_id!, 'read'))
      await h.app.outbox.drain()
      expect(h.slack.callsOf('reactions.add')).toEqual([
        expect.objectContaining({ channel: 'CSUPPORT', timestamp: reply.desk_ts, name: 'white_check_mark' }),
        expect.objectContaining({ channel: 'CSUPPORT', timestamp: reply.desk_ts, name: 'eyes' }),
      ])
    })

    it("show a failure Meta reports in the thread, with Meta's reason", async () => {
      const ticket = await ticketFromWhatsApp()
      await h.slash('/reply', `${ticket.id} Are you there?`, AGENT)
      await h.app.outbox.drain()
      const reply = (await messagesOf(h.db, 1)).find((m) => m.text === 'Are you there?')!
      await h.meta(
        statusReport(reply.external_id!, 'failed', {
          code: 131026,
          title: 'Message undeliverable',
          details: 'Receiver is incapable of receiving this message',
        }),
      )
      await h.app.outbox.drain()
      const lines = h.slack.callsOf('chat.postMessage').map((p) => String(p.text))
      expect(lines.at(-1)).toBe(
        ':warning: A message to the customer on WhatsApp could not be delivered: 131026 Message undeliverable Receiver is incapable of receiving this message',
      )
    })

    it('after 24 hours are refused before sending, and a template goes out instead', async () => {
      const ticket = await ticketFromWhatsApp()
      h.clock.advance(25 * 3_600_000)
      await h.threadReply(ticket.thread_ts!, AGENT, 'Hello again')
      await afterAnswer(() =>
        expect(String(h.slack.callsOf('chat.postEphemeral').at(-1)?.text)).toContain(
          "WhatsApp accepts free-form replies only within 24 h of the customer's last message, so nothing was sent.",
        ),
      )
      const answer = await h.slash('/template', `${ticket.id} order_update 5531 | Friday, 3 pm`, AGENT)
      expect(answer).toBe(`Template order_update queued for the customer of ticket #${ticket.id}.`)
      await h.app.outbox.drain()
      expect(h.graph.sent.map((s) => s.body)).toEqual([
        expect.objectContaining({
          type: 'template',
          template: {
            name: 'order_update',
            language: { code: 'en_US' },
            components: [
              {
                type: 'body',
                parameters: [
                  { type: 'text', text: '5531' },
                  { type: 'text', text: 'Friday, 3 pm' },
                ],
              },
            ],
          },
        }),
      ])
    })

    it('that WhatsApp refuses fail for good and say why in the thread; rate limits are retried', async () => {
      // The first attempt: meeting the rate limit was a wait, not a failed try.
      expectLogged('delivery failed for good', { attempt: 1, err: /more than 24 hours passed/ })
      const ticket = await ticketFromWhatsApp()
      h.graph.failNext(
        { status: 400, code: 130429, message: 'Rate limit hit', retryAfter: 5 },
        { status: 400, code: 131047, message: 'Re-engagement message' },
      )
      await h.slash('/reply', `${ticket.id} first try`, AGENT)
      await h.app.outbox.drain()
      expect(h.graph.sent).toEqual([])
      h.clock.advance(5_000)
      await h.app.outbox.drain()
      const lines = h.slack.callsOf('chat.postMessage').map((p) => String(p.text))
      expect(lines.at(-1)).toContain("more than 24 hours passed since the customer's last message")
    })
  })
})
