import { setTimeout as sleep } from 'node:timers/promises'
import type { App, Logger as BoltLogger, Receiver, ReceiverEvent } from '@slack/bolt'
import { SocketModeClient } from '@slack/socket-mode'
import { DeskError } from '../../src/core/errors.js'
import type { Logger } from '../../src/core/logger.js'
import { toDeskError } from './errors.js'

/** The slice of the socket client's `slack_event` we use: one envelope from Slack. */
interface Envelope {
  readonly envelope_id: string
  readonly type: string
  readonly body: Record<string, unknown>
  readonly retry_num?: number
  readonly retry_reason?: string
  /** Sends `{ envelope_id, payload }` over the socket. */
  ack(response?: unknown): Promise<void>
}

export interface SocketReceiverOptions {
  /** SLACK_APP_TOKEN (`xapp-…`): it opens the socket. */
  readonly appToken: string
  /** SLACK_API_URL: where `apps.connections.open` goes; Slack's own when unset. */
  readonly apiUrl?: string | undefined
  /** Slack's logger interface, for the socket client's own lines. */
  readonly logger: BoltLogger
  /** For what this receiver decides. */
  readonly log: Logger
  /** Waits before each reconnection attempt in a row (the last one repeats); the first is immediate by default. */
  readonly reconnectDelaysMs?: readonly number[]
}

const RECONNECT_DELAYS_MS = [0, 1_000, 2_000, 5_000, 10_000, 30_000]
/** After this long without an ack Slack retries an event, or shows the agent an error. */
const ACK_WINDOW_MS = 3_000

/**
 * Socket Mode that acknowledges only what is committed. Bolt's own SocketModeReceiver sends the ack
 * the moment a listener (or Bolt itself, for events) calls `ack()`, before the work is stored, and
 * Slack never redelivers an acknowledged envelope. Here `ack()` only records the answer; it goes
 * over the socket once `processEvent` has resolved, as HTTPReceiver's `processBeforeResponse` does.
 * An envelope whose processing throws is not acknowledged, so Slack sends it again.
 */
export function createSocketReceiver(opts: SocketReceiverOptions): Receiver {
  const { log } = opts
  const delays = opts.reconnectDelaysMs ?? RECONNECT_DELAYS_MS
  const client = new SocketModeClient({
    appToken: opts.appToken,
    logger: opts.logger,
    // We reconnect ourselves: the client's loop waits clientPingTimeout (5 s) before every attempt, even
    // after Slack's routine refresh, and when Slack refuses the token then, its promise rejects with
    // nobody to catch it, which ends Node.
    autoReconnectEnabled: false,
    clientOptions: {
      // A failed attempt comes straight back to our loop, whose backoff (and Retry-After) decide the next.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      ...(opts.apiUrl !== undefined && { slackApiUrl: opts.apiUrl }),
    },
  })
  let app: App | undefined
  let connected = false
  let stopping = false
  let stopped = new AbortController()
  let reconnecting: Promise<void> | undefined
  const inFlight = new Set<Promise<void>>()

  async function handle(envelope: Envelope): Promise<void> {
    const about = { envelopeId: envelope.envelope_id, type: envelope.type, retryNum: envelope.retry_num }
    if (app === undefined || stopping) {
      log.info(about, 'slack envelope left unacknowledged while stopping; Slack sends it again')
      return
    }
    let answer: unknown
    let answered = false
    const event: ReceiverEvent = {
      body: envelope.body,
      ack: (response?: unknown) => {
        if (answered)
          log.warn(about, 'a listener acknowledged a slack envelope twice; the first answer stands')
        else answer = response
        answered = true
        return Promise.resolve()
      },
      ...(envelope.retry_num !== undefined && { retryNum: envelope.retry_num }),
      ...(envelope.retry_reason !== undefined && { retryReason: envelope.retry_reason }),
    }
    const began = performance.now()
    try {
      await app.processEvent(event)
    } catch (error) {
      log.error({ err: error, ...about }, 'slack envelope failed; not acknowledged, so Slack sends it again')
      return
    }
    // Bolt acknowledges every event itself; a command or action nobody answered is done all the same.
    if (!answered) log.warn(about, 'no listener acknowledged a slack envelope; acknowledging it empty')
    try {
      await envelope.ack(answer)
    } catch (error) {
      log.warn({ err: error, ...about }, 'could not acknowledge a slack envelope; Slack sends it again')
      return
    }
    const ms = Math.round(performance.now() - began)
    if (ms > ACK_WINDOW_MS) log.warn({ ...about, ms }, "slack envelope acknowledged after Slack's 3 s")
  }

  client.on('slack_event', (envelope: Envelope) => {
    const work = handle(envelope).finally(() => inFlight.delete(work))
    inFlight.add(work)
  })

  client.on('disconnected', () => {
    // Also emitted when an attempt of the loop below fails: that loop goes on by itself.
    if (!connected || stopping || reconnecting !== undefined) return
    log.info('slack socket closed; reconnecting')
    reconnecting = reconnect(stopped.signal).finally(() => (reconnecting = undefined))
  })

  async function reconnect(signal: AbortSignal): Promise<void> {
    let retryAfterMs = 0
    for (let attempt = 0; ; attempt++) {
      const wait = Math.max(delays[Math.min(attempt, delays.length - 1)] ?? 0, retryAfterMs)
      if (wait > 0) await pause(wait, signal)
      if (stopping) return
      try {
        await client.start()
        log.info({ attempt }, 'slack socket reconnected')
        return
      } catch (error) {
        if (stopping) return
        const failure = connectError(error)
        retryAfterMs = failure.retryAfterMs ?? 0
        log[failure.retryable ? 'warn' : 'error']({ err: failure, attempt }, 'slack socket did not reconnect')
      }
    }
  }

  return {
    init(bolt: App) {
      app = bolt
    },

    async start() {
      stopping = false
      stopped = new AbortController()
      try {
        await client.start()
      } catch (error) {
        throw connectError(error)
      }
      connected = true
    },

    async stop() {
      stopping = true
      stopped.abort()
      // Let envelopes in progress commit and be acknowledged; past Slack's window an ack is worth nothing.
      await within(ACK_WINDOW_MS, Promise.allSettled(inFlight))
      connected = false
      await client.disconnect()
    },
  }
}

/** Why the socket did not open, said for the operator. */
function connectError(error: unknown): DeskError {
  // The client rejects with nothing when the socket closes before Slack says hello.
  if (error === undefined)
    return new DeskError('unavailable', 'Slack Socket Mode: the socket closed before Slack said hello')
  const slack = toDeskError('apps.connections.open', error)
  const code = (error as { data?: { error?: unknown } }).data?.error
  const what = typeof code === 'string' ? `Slack apps.connections.open failed: ${code}` : slack.message
  const hint =
    slack.code === 'rejected'
      ? ' (check SLACK_APP_TOKEN: an app-level token, xapp-…, with connections:write, of an app with Socket Mode on)'
      : ''
  return new DeskError(slack.code, `Slack Socket Mode could not connect: ${what}${hint}`, {
    retryable: slack.retryable,
    cause: error,
    ...(slack.retryAfterMs !== undefined && { retryAfterMs: slack.retryAfterMs }),
  })
}

/** Waits `ms`, or less if the signal aborts. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch((error: unknown) => {
    if (!signal.aborted) throw error
  })
}

/** Waits for `work`, but no longer than `ms`. */
async function within(ms: number, work: Promise<unknown>): Promise<void> {
  const timeout = new AbortController()
  await Promise.race([work, pause(ms, timeout.signal)])
  timeout.abort()
}
