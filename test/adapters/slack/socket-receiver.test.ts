import { LogLevel, type App, type Logger as BoltLogger, type ReceiverEvent } from '@slack/bolt'
import { afterEach, describe, expect, it } from 'vitest'
import { createSocketReceiver, type SocketReceiverOptions } from '../../../adapters/slack/socket-receiver.js'
import { DeskError } from '../../../src/core/errors.js'
import { startFakeSlack, type FakeSlack } from '../../fakes/slack-api.js'
import { startFakeSlackSocket, type FakeSlackSocket } from '../../fakes/slack-socket.js'
import { SLACK_APP_TOKEN } from '../../helpers/harness.js'
import { expectLogged, testLog } from '../../helpers/log.js'
import { eventCallback } from '../../helpers/slack-requests.js'

/** Slack's logger interface, keeping what the socket client says. */
function slackLogger(lines: string[]): BoltLogger {
  const keep = (...msg: unknown[]) => void lines.push(msg.map(String).join(' '))
  return {
    debug: keep,
    info: keep,
    warn: keep,
    error: keep,
    setLevel: () => undefined,
    getLevel: () => LogLevel.DEBUG,
    setName: () => undefined,
  }
}

/** A promise to settle by hand. */
function deferred() {
  let resolve = (): void => undefined
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

describe('the Socket Mode receiver', () => {
  let slack: FakeSlack
  let socket: FakeSlackSocket
  let stop = (): Promise<unknown> => Promise.resolve()
  afterEach(async () => {
    await stop()
    await slack.close()
    await socket.close()
  })

  async function start(
    processEvent: (event: ReceiverEvent) => Promise<void>,
    opts: Partial<SocketReceiverOptions> = {},
  ) {
    socket = await startFakeSlackSocket()
    slack = await startFakeSlack({ socket })
    const logs = testLog()
    const receiver = createSocketReceiver({
      appToken: SLACK_APP_TOKEN,
      apiUrl: slack.apiUrl,
      logger: slackLogger([]),
      log: logs,
      ...opts,
    })
    receiver.init({ processEvent } as unknown as App)
    stop = () => receiver.stop()
    await receiver.start()
    return { receiver, logs }
  }

  it('refuses to start with a line naming SLACK_APP_TOKEN when Slack refuses the token', async () => {
    const started = start(() => Promise.resolve(), { appToken: 'xoxb-a-bot-token' })
    await expect(started).rejects.toThrow(DeskError)
    await expect(started).rejects.toThrow(
      /could not connect: Slack apps.connections.open failed: not_allowed_token_type \(check SLACK_APP_TOKEN/,
    )
    stop = () => Promise.resolve()
  })

  it('keeps reconnecting, with backoff, through a refused token and an outage, and says so', async () => {
    expectLogged('slack socket did not reconnect', { err: /invalid_auth/ })
    const { logs } = await start(() => Promise.resolve(), { reconnectDelaysMs: [0, 1] })
    slack.failNext('apps.connections.open', { error: 'invalid_auth' }, { status: 500 })
    socket.drop()
    await logs.next('slack socket reconnected')
    expect(socket.connections).toBe(2)
    expect(slack.callsOf('apps.connections.open')).toHaveLength(4)
    const said = logs.lines().filter((l) => l.msg?.startsWith('slack socket'))
    expect(said.map((l) => [l.level, l.msg, l.attempt])).toEqual([
      [30, 'slack socket closed; reconnecting', undefined],
      [50, 'slack socket did not reconnect', 0],
      [40, 'slack socket did not reconnect', 1],
      [30, 'slack socket reconnected', 2],
    ])
    expect(said[1]?.err).toHaveProperty(
      'message',
      expect.stringContaining('invalid_auth (check SLACK_APP_TOKEN'),
    )
  })

  it("sends a listener's answer with the ack only when processing is done, and stop waits for it", async () => {
    const done = deferred()
    const processing = deferred()
    const { receiver, logs } = await start(async (event) => {
      await event.ack({ response_type: 'ephemeral', text: 'Ticket #1 is now solved.' })
      processing.resolve()
      await done.promise
    })
    const id = socket.send('slash_commands', { command: '/resolve', text: '1', user_id: 'UAGENT' })
    await processing.promise
    const stopped = receiver.stop()
    // Arriving while the receiver stops: left for Slack to send again.
    const late = socket.send('events_api', eventCallback({ type: 'reaction_added' }))
    expect(
      await logs.next('slack envelope left unacknowledged while stopping; Slack sends it again'),
    ).toMatchObject({ envelopeId: late })
    expect(socket.acks).toEqual([])

    done.resolve()
    await stopped
    expect(socket.acks).toEqual([
      { envelope_id: id, payload: { response_type: 'ephemeral', text: 'Ticket #1 is now solved.' } },
    ])
    expect(socket.acks.map((a) => a.envelope_id)).not.toContain(late)
  })
})
