import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/connection.js'
import { testDatabaseUrl } from '../helpers/db.js'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { AGENT, startHarness, type Harness } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'
import { expectLogged } from '../helpers/log.js'
import { queryGate } from '../helpers/query-gate.js'
import { blockActions, interactionBody, postToSlackEndpoint } from '../helpers/slack-requests.js'

/** Slack (HTTP mode) is answered only after what it sent is stored; a failure to store asks for it again. */
describe('Slack events are acknowledged after they are stored', () => {
  let h: Harness
  let gate: ReturnType<typeof queryGate>
  let threadTs: string
  let ticketId: number

  beforeEach(async () => {
    gate = queryGate()
    h = await startHarness({ app: { db: openDatabase(await testDatabaseUrl()).withPlugin(gate.plugin) } })
    const received = await h.app.helpdesk.receive(inbound('My order never arrived'))
    await h.app.outbox.drain()
    ticketId = received.ticketId!
    threadTs = (await findTicket(h.db, ticketId))!.thread_ts!
    h.telegram.sent.length = 0
  })
  afterEach(async () => {
    await h.stop()
  })

  const replies = async () =>
    (await messagesOf(h.db, ticketId)).filter((m) => m.direction === 'outbound' && m.agent_id !== null)

  it('answers 500 when the reply cannot be stored, and stores and sends Slack’s retry once', async () => {
    expectLogged('slack listener failed', { err: /SQLITE_FULL/ })
    gate.failNext({ kind: 'insert', table: 'messages' }, new Error('SQLITE_FULL: database or disk is full'))
    const post = { eventId: 'EvFULL' }
    const first = await h.threadReply(threadTs, AGENT, 'Your parcel ships today', post)
    expect(first.status).toBe(500)
    expect(await replies()).toEqual([])

    // Slack sends the same event again; this time the disk has room.
    const again = await h.threadReply(threadTs, AGENT, 'Your parcel ships today', { ...post, retryNum: 1 })
    expect(again.status).toBe(200)
    expect((await replies()).map((m) => m.text)).toEqual(['Your parcel ships today'])
    await h.app.outbox.drain()
    expect(h.telegram.sent.map((m) => m.text)).toEqual(['Your parcel ships today'])
  })

  it('tells the agent nothing was sent when storing still fails on Slack’s last retry', async () => {
    gate.failNext({ kind: 'insert', table: 'messages' }, new Error('SQLITE_FULL: database or disk is full'))
    expectLogged('slack action failed', { err: /SQLITE_FULL/ })
    const res = await h.threadReply(threadTs, AGENT, 'Your parcel ships today', { retryNum: 3 })
    expect(res.status).toBe(200)
    expect(await replies()).toEqual([])
    expect(h.slack.callsOf('chat.postEphemeral').at(-1)).toMatchObject({
      user: AGENT,
      text: expect.stringContaining('nothing was changed') as unknown,
    })
  })
})

describe('signed but malformed Slack requests', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  it('answer 400 or 200 at once, never hang, and keep the process serving', async () => {
    h = await startHarness()
    const json = (body: string) => postToSlackEndpoint(h.base, body, 'application/json')
    const form = (body: string) => postToSlackEndpoint(h.base, body, 'application/x-www-form-urlencoded')
    expect((await json('null')).status).toBe(400)
    expect((await json('[1,2]')).status).toBe(400)
    expect((await form('payload=null')).status).toBe(400)
    expect((await form('payload=%7B%7D')).status).toBe(200) // an object nothing handles: answered, not left
    const unknownAction = interactionBody(
      blockActions(AGENT, 'CSUPPORT', '1.1', { type: 'button', action_id: 'td_nothing', value: '1' }),
    )
    expect((await form(unknownAction)).status).toBe(200)
    expect((await fetch(`${h.base}/healthz`)).status).toBe(200)
  })
})
