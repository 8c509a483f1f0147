import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/connection.js'
import { testDatabaseUrl } from '../helpers/db.js'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import type { FakeSlackSocket } from '../fakes/slack-socket.js'
import { AGENT, SLACK_APP_TOKEN, startHarness, SUPPORT_CHANNEL, type Harness } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'
import { expectLogged, testLog, type TestLog } from '../helpers/log.js'
import { queryGate } from '../helpers/query-gate.js'
import {
  blockActions,
  eventCallback,
  newTs,
  slashCommand,
  viewSubmission,
} from '../helpers/slack-requests.js'

const FAILED = 'slack envelope failed; not acknowledged, so Slack sends it again'

describe('Slack in Socket Mode', () => {
  let h: Harness
  let socket: FakeSlackSocket
  let logs: TestLog
  let gate: ReturnType<typeof queryGate>
  let ticket: { id: number; threadTs: string }

  beforeEach(async () => {
    logs = testLog()
    gate = queryGate()
    const db = openDatabase(await testDatabaseUrl()).withPlugin(gate.plugin)
    h = await startHarness({ socketMode: true, app: { log: logs, db } })
    socket = h.socket!
    const { ticketId } = await h.app.helpdesk.receive(inbound('My order never arrived'))
    await h.app.outbox.drain()
    const row = await findTicket(h.db, ticketId!)
    ticket = { id: row!.id, threadTs: row!.thread_ts! }
    h.slack.reset()
    h.telegram.sent.length = 0
  })
  afterEach(async () => {
    await h.stop()
  })

  const status = async () => (await findTicket(h.db, ticket.id))?.status
  const agentMessages = async () =>
    (await messagesOf(h.db, ticket.id)).filter((m) => m.agent_id !== null).map((m) => m.text)
  const threadReply = (text: string) =>
    eventCallback({
      type: 'message',
      channel: SUPPORT_CHANNEL,
      channel_type: 'channel',
      user: AGENT,
      text,
      ts: newTs(),
      thread_ts: ticket.threadTs,
    })
  /**
   * An envelope no listener stores anything for. Its ack, behind another envelope's on the same
   * socket, shows that an ack the app had sent for that other envelope would have arrived already.
   */
  const probe = () =>
    socket.roundTrip(
      'events_api',
      eventCallback({
        type: 'reaction_added',
        user: AGENT,
        reaction: 'eyes',
        item: { type: 'message', channel: SUPPORT_CHANNEL, ts: ticket.threadTs },
        event_ts: newTs(),
      }),
    )
  const ackedIds = () => socket.acks.map((a) => a.envelope_id)

  it('connects through SLACK_API_URL with the app token', () => {
    expect(socket.connections).toBe(1)
    expect(logs.lines().find((l) => l.msg === 'slack desk ready')).toMatchObject({ mode: 'socket' })
  })

  it("acknowledges an agent's thread reply only once it is committed, then delivers it to Telegram", async () => {
    const held = gate.holdNext({ kind: 'insert', table: 'messages' })
    const reply = socket.send('events_api', threadReply('Your parcel ships today'))
    await held.reached // the reply is written, its transaction not yet committed
    await probe()
    expect(ackedIds()).not.toContain(reply)

    held.release()
    expect(await socket.ackOf(reply)).toEqual({ envelope_id: reply, payload: {} })
    expect(await agentMessages()).toEqual(['Your parcel ships today'])
    await h.app.outbox.drain()
    expect(h.telegram.sent.map((m) => m.text)).toEqual(['Your parcel ships today'])
  })

  it("leaves an envelope unacknowledged when its work fails, and stores Slack's redelivery once", async () => {
    gate.failNext({ kind: 'select', table: 'tickets' }, new Error('SQLITE_IOERR: disk I/O error'))
    const payload = threadReply('Sorry for the wait')
    const first = socket.send('events_api', payload)
    expect(await logs.next(FAILED)).toMatchObject({
      envelopeId: first,
      type: 'events_api',
      err: { message: 'SQLITE_IOERR: disk I/O error' },
    })
    await probe()
    expect(ackedIds()).not.toContain(first)

    // Slack sends an unacknowledged event again, in a new envelope.
    const again = socket.send('events_api', payload, { retryAttempt: 1, retryReason: 'timeout' })
    expect(await socket.ackOf(again)).toEqual({ envelope_id: again, payload: {} })
    expect(await agentMessages()).toEqual(['Sorry for the wait'])
    await h.app.outbox.drain()
    expect(h.telegram.sent.map((m) => m.text)).toEqual(['Sorry for the wait'])
    expectLogged('slack listener failed', { err: /SQLITE_IOERR/ })
    expectLogged(FAILED)
  })

  it("answers a slash command in its ack's payload, after the change is stored", async () => {
    const ack = await socket.roundTrip('slash_commands', slashCommand('/resolve', String(ticket.id), AGENT))
    expect(ack.payload).toEqual({ response_type: 'ephemeral', text: `Ticket #${ticket.id} is now solved.` })
    expect(await status()).toBe('solved')
  })

  it("shows a modal's refusal on the field through the ack's payload", async () => {
    const ack = await socket.roundTrip(
      'interactive',
      viewSubmission(
        AGENT,
        {
          callback_id: 'td_note_modal',
          private_metadata: JSON.stringify({
            ticketId: 999,
            channel: SUPPORT_CHANNEL,
            threadTs: ticket.threadTs,
          }),
        },
        { note: { text: { type: 'plain_text_input', value: 'lost' } } },
      ),
    )
    expect(ack.payload).toEqual({
      response_action: 'errors',
      errors: { note: ':warning: Ticket #999 does not exist.' },
    })
  })

  it('acknowledges a button press once the action is stored and the agent told', async () => {
    const ack = await socket.roundTrip(
      'interactive',
      blockActions(AGENT, SUPPORT_CHANNEL, ticket.threadTs, {
        type: 'button',
        action_id: 'td_resolve',
        value: String(ticket.id),
      }),
    )
    expect(ack.payload).toEqual({})
    expect(await status()).toBe('solved')
    expect(h.slack.callsOf('chat.postEphemeral').at(-1)).toMatchObject({
      user: AGENT,
      text: `Ticket #${ticket.id} is now solved.`,
    })
  })

  it('reconnects when the socket drops, and processes what comes after', async () => {
    socket.drop()
    await socket.connected(2)
    expect(h.slack.callsOf('apps.connections.open')).toHaveLength(1) // reset() after start-up
    const ack = await socket.roundTrip('slash_commands', slashCommand('/pending', String(ticket.id), AGENT))
    expect(ack.payload).toMatchObject({ text: `Ticket #${ticket.id} is now pending.` })
    expect(await status()).toBe('pending')
    // The socket client reports a cut connection twice, at error level, with little to go on.
    expectLogged(/^WebSocket error occurred/)
    expectLogged('WebSocket error! SMWebsocketError')
  })

  it('reconnects at once when Slack asks to (disconnect: refresh_requested)', async () => {
    socket.disconnect('refresh_requested')
    await socket.connected(2)
    const reply = socket.send('events_api', threadReply('Still here'))
    await socket.ackOf(reply)
    expect(await agentMessages()).toEqual(['Still here'])
  })
})

describe('Slack in Socket Mode, connecting', () => {
  it("logs Bolt's connection lines at debug without ending start-up or showing the app token", async () => {
    const logs = testLog('debug')
    const h = await startHarness({ socketMode: true, app: { log: logs } })
    await h.stop()
    expect(h.slack.callsOf('apps.connections.open')).toHaveLength(1)
    expect(h.socket?.connections).toBe(1)
    expect(logs.lines().filter((l) => l.source === 'bolt').length).toBeGreaterThan(5)
    expect(JSON.stringify(logs.lines())).not.toContain(SLACK_APP_TOKEN)
    expect(logs.filter('error')).toEqual([])
  })
})
