import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHelpDesk, type HelpDesk } from '../../src/core/helpdesk.js'
import { catalog } from '../helpers/channels.js'
import { createOutbox } from '../../src/core/outbox.js'
import { defaultTexts } from '../../src/core/texts.js'
import { readFact } from '../../src/core/ticket-facts.js'
import type { Db } from '../../src/db/connection.js'
import { deliveriesOf } from '../../src/db/repos/deliveries.js'
import { messagesOf } from '../../src/db/repos/messages.js'
import { fakeChannel, fakeDesk } from '../fakes/ports.js'
import { manualClock, type ManualClock } from '../helpers/clock.js'
import { memoryDb } from '../helpers/db.js'
import { inbound } from '../helpers/inbound.js'
import { testLog } from '../helpers/log.js'

const agent = { deskUserId: 'UAGENT' }
const DAY = 24 * 3_600_000

describe('what channels allow and report', () => {
  let db: Db
  let clock: ManualClock
  let helpdesk: HelpDesk
  let desk: ReturnType<typeof fakeDesk>
  let whatsapp: ReturnType<typeof fakeChannel>
  let drain: () => Promise<void>
  let ticketId: number

  beforeEach(async () => {
    db = await memoryDb()
    clock = manualClock()
    desk = fakeDesk()
    whatsapp = fakeChannel('whatsapp_cloud', { replyWindowMs: DAY, templates: true })
    helpdesk = createHelpDesk({
      db,
      clock,
      texts: defaultTexts,
      traits: new Map([['whatsapp_cloud', whatsapp.adapter.traits!]]),
      labelOf: catalog.labelOf,
    })
    const outbox = createOutbox({
      db,
      clock,
      log: testLog(),
      desk: desk.desk,
      deskHome: 'CSUPPORT',
      channels: new Map([['whatsapp_cloud', whatsapp.adapter]]),
      helpdesk,
    })
    drain = () => outbox.drain()
    ticketId = (await helpdesk.receive(inbound('Hi', { channel: 'whatsapp_cloud' }))).ticketId!
    await drain()
  })
  afterEach(async () => {
    await db.destroy()
  })

  it("refuses a free-form reply after the channel's window, before queueing anything, and points to templates", async () => {
    clock.advance(DAY - 1)
    await helpdesk.reply(agent, ticketId, 'just in time')
    clock.advance(2)
    const before = (await deliveriesOf(db, ticketId)).length
    await expect(helpdesk.reply(agent, ticketId, 'too late')).rejects.toThrow(
      `WhatsApp accepts free-form replies only within 24 h of the customer's last message, so nothing was sent. Send an approved template instead: \`/template ${ticketId} NAME [params…]\`.`,
    )
    expect((await deliveriesOf(db, ticketId)).length).toBe(before)
  })

  it('sends a template outside the window, with its name and parameters', async () => {
    clock.advance(3 * DAY)
    const out = await helpdesk.sendTemplate(agent, ticketId, {
      name: 'order_update',
      params: ['5531', 'Friday'],
    })
    expect(out.text).toBe(`Template order_update queued for the customer of ticket #${ticketId}.`)
    await drain()
    expect(whatsapp.sent.at(-1)).toMatchObject({
      template: { name: 'order_update', params: ['5531', 'Friday'] },
      text: '[template order_update] 5531 · Friday',
    })
    await expect(
      helpdesk.sendTemplate(agent, ticketId, { name: 'Bad Name', params: [] }),
    ).rejects.toMatchObject({
      code: 'invalid',
    })
  })

  it('refuses templates on a channel that has none', async () => {
    const plain = (await helpdesk.receive(inbound('Hi'))).ticketId!
    await expect(helpdesk.sendTemplate(agent, plain, { name: 'hello', params: [] })).rejects.toThrow(
      'Telegram has no message templates; send a plain reply.',
    )
  })

  it('marks a reply delivered and then read in its thread, never going back', async () => {
    await helpdesk.reply(agent, ticketId, 'on its way', { deskTs: '555.1' })
    await drain()
    const externalId = (await messagesOf(db, ticketId)).at(-1)!.external_id!
    const report = (status: 'sent' | 'delivered' | 'read') =>
      helpdesk.deliveryStatus({ channel: 'whatsapp_cloud', externalMessageId: externalId, status })
    await report('delivered')
    await report('read')
    await report('delivered') // late and out of order: ignored
    await report('read') // redelivered: ignored
    await drain()
    expect(desk.reactions).toEqual([
      { ts: '555.1', reaction: 'white_check_mark' },
      { ts: '555.1', reaction: 'eyes' },
    ])
    expect((await messagesOf(db, ticketId)).at(-1)?.delivery_status).toBe('read')
  })

  it("says a reported failure in the thread with the platform's reason", async () => {
    await helpdesk.reply(agent, ticketId, 'hello', { deskTs: '555.2' })
    await drain()
    const externalId = (await messagesOf(db, ticketId)).at(-1)!.external_id!
    await helpdesk.deliveryStatus({
      channel: 'whatsapp_cloud',
      externalMessageId: externalId,
      status: 'failed',
      reason: '131026 Message undeliverable',
    })
    await helpdesk.deliveryStatus({ channel: 'telegram', externalMessageId: externalId, status: 'failed' }) // other channel
    await drain()
    const lines = desk.log.filter((l) => l.entry?.direction === 'system').map((l) => l.entry?.text)
    expect(lines.map((l) => readFact(l ?? ''))).toEqual([
      {
        kind: 'undelivered',
        what: 'message',
        reportedBy: 'whatsapp_cloud',
        reason: '131026 Message undeliverable',
      },
    ])
  })

  it('keeps secrets in a failure reason out of the thread', async () => {
    await helpdesk.reply(agent, ticketId, 'hello', { deskTs: '555.3' })
    await drain()
    const externalId = (await messagesOf(db, ticketId)).at(-1)!.external_id!
    await helpdesk.deliveryStatus({
      channel: 'whatsapp_cloud',
      externalMessageId: externalId,
      status: 'failed',
      reason: 'media fetch failed: https://cdn:hunter2@media.example/a.jpg?token=abc123',
    })
    await drain()
    const line = desk.log.findLast((l) => l.entry?.direction === 'system')?.entry?.text ?? ''
    expect(readFact(line)).toMatchObject({
      reason: 'media fetch failed: https://[redacted]@media.example/a.jpg?token=[redacted]',
    })
  })

  it('posts notices to the support channel, with an image when there is one', async () => {
    await helpdesk.notify({
      text: 'Scan to pair',
      image: { filename: 'qr.png', png: Buffer.from([137, 80, 78, 71]) },
    })
    await drain()
    expect(desk.notices).toEqual([
      { text: 'Scan to pair', image: { filename: 'qr.png', png: Buffer.from([137, 80, 78, 71]) } },
    ])
  })
})
