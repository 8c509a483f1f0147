import { afterEach, describe, expect, it } from 'vitest'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { AGENT, OTHER_AGENT, startHarness, type Harness, type HarnessOptions } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'

/** Notes that once reached customers (issue #10), as Slack sends them. */
const LEAKS = [
  '*note:* customer is a VIP',
  '&gt; note: check the refund first',
  ':memo: note: called them',
  'note：full-width colon',
  'Note - finance approved it',
  `<@${OTHER_AGENT}> can you check this?`,
]

describe('notes and replies through the real Slack listener', () => {
  let h: Harness
  let ticket: { id: number; threadTs: string }

  async function start(opts: HarnessOptions = {}) {
    h = await startHarness(opts)
    const { ticketId } = await h.app.helpdesk.receive(inbound('Where is my parcel?'))
    await h.app.outbox.drain()
    const row = (await findTicket(h.db, ticketId!))!
    ticket = { id: row.id, threadTs: row.thread_ts! }
    h.slack.reset()
    h.telegram.sent.length = 0
  }
  afterEach(async () => {
    await h.stop()
  })

  /** An agent's thread message; Bolt has stored it once Slack has its answer (processBeforeResponse). */
  async function say(text: string, user = AGENT) {
    const res = await h.threadReply(ticket.threadTs, user, text)
    expect(res.status).toBe(200)
    await h.app.outbox.drain()
  }
  const stored = async (direction: 'note' | 'outbound') =>
    (await messagesOf(h.db, ticket.id))
      .filter((m) => m.direction === direction && m.agent_id !== null)
      .map((m) => m.text)
  const lastEphemeral = () => String(h.slack.callsOf('chat.postEphemeral').at(-1)?.text)

  it('keeps every decorated note and every message to a colleague inside; a plain reply leaves', async () => {
    await start()
    for (const text of LEAKS) await say(text)
    expect(h.telegram.sent).toEqual([])
    expect(await stored('note')).toEqual([
      'customer is a VIP',
      'check the refund first',
      'called them',
      'full-width colon',
      'finance approved it',
      '@UOTHER can you check this?',
    ])

    await say('Notes about your parcel: it left the warehouse today')
    expect(h.telegram.sent.map((m) => m.text)).toEqual([
      'Notes about your parcel: it left the warehouse today',
    ])
  })

  it('/reply and !reply refuse a note, /note keeps it without its marker', async () => {
    await start()
    const answer = await h.slash('/reply', `${ticket.id} *note:* customer is a VIP`, AGENT)
    expect(answer).toContain('Did you mean a note?')
    await say('!reply Private: the card ends 4242')
    expect(lastEphemeral()).toContain('Did you mean a note?')
    await h.slash('/note', `${ticket.id} note: refund id R-77`, AGENT)
    await h.app.outbox.drain()
    expect(h.telegram.sent).toEqual([])
    expect(await stored('outbound')).toEqual([])
    expect(await stored('note')).toEqual(['refund id R-77'])
  })

  it('turns Slack formatting into Telegram entities, emoji and names', async () => {
    await start()
    await say(
      `*Good news* :tada: <@${OTHER_AGENT}> will call you about <https://acme.com/t?a=1&amp;b=2|your parcel>`,
    )
    expect(h.telegram.sent).toEqual([
      expect.objectContaining({
        text: 'Good news 🎉 Maria will call you about your parcel (https://acme.com/t?a=1&b=2)',
        entities: [{ type: 'bold', offset: 0, length: 9 }],
      }),
    ])
    // What the customer was sent is what the ticket keeps, in the flavour of its channel.
    expect(await stored('outbound')).toEqual([
      '*Good news* 🎉 Maria will call you about your parcel (https://acme.com/t?a=1&b=2)',
    ])
  })

  it('in REPLY_MODE=internal only !reply and /reply reach the customer', async () => {
    await start({ env: { REPLY_MODE: 'internal' } })
    await say('we should refund this one')
    await say('!reply Your refund is on its way')
    await h.slash('/reply', `${ticket.id} It should arrive in 3 days`, AGENT)
    await h.app.outbox.drain()
    expect(await stored('note')).toEqual(['we should refund this one'])
    expect(h.telegram.sent.map((m) => m.text)).toEqual([
      'Your refund is on its way',
      'It should arrive in 3 days',
    ])
  })

  it("follows the ticket's channel: REPLY_MODE_TELEGRAM=internal holds back a Telegram ticket's plain replies", async () => {
    await start({ env: { REPLY_MODE: 'send', REPLY_MODE_TELEGRAM: 'internal', REPLY_MODE_DISCORD: 'send' } })
    await say('thinking out loud')
    expect(h.telegram.sent).toEqual([])
    expect(await stored('note')).toEqual(['thinking out loud'])
  })
})
