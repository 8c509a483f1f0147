import { afterEach, describe, expect, it } from 'vitest'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { AGENT, startHarness, SUPPORT_CHANNEL, type Harness } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'
import { newTs } from '../helpers/slack-requests.js'
import { tempDatabaseUrl } from '../helpers/temp-db.js'

/** A reply typed in a thread waits REPLY_DELAY_S, marked ⏳; deleting or editing it meanwhile counts. */
describe('the undo window', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  async function start(databaseUrl?: string) {
    h = await startHarness({
      env: { REPLY_DELAY_S: '5', ...(databaseUrl !== undefined && { DATABASE_URL: databaseUrl }) },
    })
  }

  async function openTicket() {
    const { ticketId } = await h.app.helpdesk.receive(inbound('Where is my parcel?'))
    await h.app.outbox.drain()
    h.slack.reset()
    h.telegram.sent.length = 0
    return { id: ticketId!, threadTs: (await findTicket(h.db, ticketId!))!.thread_ts! }
  }

  const reactions = (method: 'reactions.add' | 'reactions.remove') =>
    h.slack.callsOf(method).map((c) => `${String(c.timestamp)} ${String(c.name)}`)

  const deleted = (threadTs: string, ts: string, text: string) =>
    h.event({
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel: SUPPORT_CHANNEL,
      ts: newTs(),
      deleted_ts: ts,
      previous_message: { type: 'message', user: AGENT, text, ts, thread_ts: threadTs },
    })

  const edited = (threadTs: string, ts: string, before: string, after: string) =>
    h.event({
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: SUPPORT_CHANNEL,
      ts: newTs(),
      message: {
        type: 'message',
        user: AGENT,
        text: after,
        ts,
        thread_ts: threadTs,
        edited: { user: AGENT },
      },
      previous_message: { type: 'message', user: AGENT, text: before, ts, thread_ts: threadTs },
    })

  it('holds a reply for the window with ⏳, then sends it and shows ✅', async () => {
    await start()
    const ticket = await openTicket()
    const ts = newTs()
    await h.threadReply(ticket.threadTs, AGENT, 'It ships today', { ts })
    await h.app.outbox.drain()
    expect(h.telegram.sent).toEqual([])
    expect(reactions('reactions.add')).toEqual([`${ts} hourglass_flowing_sand`])

    h.clock.advance(4_999)
    await h.app.outbox.drain()
    expect(h.telegram.sent).toEqual([])
    h.clock.advance(1)
    await h.app.outbox.drain()
    expect(h.telegram.sent.map((m) => m.text)).toEqual(['It ships today'])
    expect(reactions('reactions.remove')).toEqual([`${ts} hourglass_flowing_sand`])
    expect(reactions('reactions.add').at(-1)).toBe(`${ts} white_check_mark`)
  })

  it('takes a reply back when it is deleted within the window', async () => {
    await start()
    const ticket = await openTicket()
    const ts = newTs()
    await h.threadReply(ticket.threadTs, AGENT, 'Oops, wrong customer', { ts })
    expect((await deleted(ticket.threadTs, ts, 'Oops, wrong customer')).status).toBe(200)
    h.clock.advance(60_000)
    await h.app.outbox.drain()
    expect(h.telegram.sent).toEqual([])
    const reply = (await messagesOf(h.db, ticket.id)).find((m) => m.text === 'Oops, wrong customer')
    expect(reply?.delivery_status).toBe('cancelled')
  })

  it('sends the edited text when the reply is edited within the window', async () => {
    await start()
    const ticket = await openTicket()
    const ts = newTs()
    await h.threadReply(ticket.threadTs, AGENT, 'It ships tomorow', { ts })
    await edited(ticket.threadTs, ts, 'It ships tomorow', 'It ships tomorrow')
    h.clock.advance(5_000)
    await h.app.outbox.drain()
    expect(h.telegram.sent.map((m) => m.text)).toEqual(['It ships tomorrow'])
  })

  it('keeps a reply edited into a note from leaving at all', async () => {
    await start()
    const ticket = await openTicket()
    const ts = newTs()
    await h.threadReply(ticket.threadTs, AGENT, 'He is a difficult one', { ts })
    await edited(ticket.threadTs, ts, 'He is a difficult one', 'note: he is a difficult one')
    h.clock.advance(5_000)
    await h.app.outbox.drain()
    expect(h.telegram.sent).toEqual([])
  })

  it('tells the agent when a deleted reply had already left', async () => {
    await start()
    const ticket = await openTicket()
    const ts = newTs()
    await h.threadReply(ticket.threadTs, AGENT, 'Too late to take back', { ts })
    h.clock.advance(5_000)
    await h.app.outbox.drain()
    await deleted(ticket.threadTs, ts, 'Too late to take back')
    expect(h.telegram.sent.map((m) => m.text)).toEqual(['Too late to take back'])
    expect(h.slack.callsOf('chat.postEphemeral').at(-1)).toMatchObject({
      user: AGENT,
      text: expect.stringContaining('had already reached the customer') as unknown,
    })
  })

  it('survives a restart inside the window: the reply leaves once, or not at all if deleted', async () => {
    const url = await tempDatabaseUrl()
    await start(url)
    const ticket = await openTicket()
    const kept = newTs()
    const taken = newTs()
    await h.threadReply(ticket.threadTs, AGENT, 'Kept', { ts: kept })
    await h.threadReply(ticket.threadTs, AGENT, 'Taken back', { ts: taken })
    await h.stop()

    await start(url)
    await deleted(ticket.threadTs, taken, 'Taken back')
    h.clock.advance(5_000)
    await h.app.outbox.drain()
    await h.app.outbox.drain()
    expect(h.telegram.sent.map((m) => m.text)).toEqual(['Kept'])
  })
})
