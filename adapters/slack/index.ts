import { App, HTTPReceiver, LogLevel, type Logger as BoltLogger } from '@slack/bolt'
import { DeskError, describeError } from '../../src/core/errors.js'
import type { Logger } from '../../src/core/logger.js'
import type { AgentDesk, WebhookRoute } from '../../src/core/ports.js'
import { createSlackDesk } from './desk.js'
import { toDeskError } from './errors.js'
import { registerListeners, type ListenerDeps } from './listeners.js'
import { createSocketReceiver } from './socket-receiver.js'

export const SLACK_EVENTS_PATH = '/slack/events'

/** The Slack module's settings, and the core services its listeners act through. */
export interface SlackOptions extends ListenerDeps {
  readonly botToken: string
  /** HTTP mode: requests to POST /slack/events are verified with it. */
  readonly signingSecret?: string | undefined
  /** Socket Mode when set. */
  readonly appToken?: string | undefined
  readonly supportChannel: string
  readonly apiUrl?: string | undefined
  /** The choices of the root message's type picker. */
  readonly ticketTypes: readonly string[]
}

export interface SlackModule {
  /** Where the outbox shows tickets. */
  readonly desk: AgentDesk
  routes(): readonly WebhookRoute[]
  /** Checks the token (auth.test) and, in Socket Mode, connects. */
  start(): Promise<void>
  stop(): Promise<void>
  /** Whether Slack answered auth.test lately. */
  healthy(): Promise<boolean>
}

/** Bolt logs through our pino logger. */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO
  // Bolt calls these detached from any object: each one must carry its own `this`.
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) =>
      log[level]({ source: 'bolt' }, msg.map((m) => (typeof m === 'string' ? m : describeError(m))).join(' '))
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    setLevel: (l) => (level = l),
    getLevel: () => level,
    setName: () => undefined,
  }
}

const HEALTH_TTL_MS = 15_000

/** The agent desk on Slack: Bolt for what agents do, the Web API for what the outbox shows them. */
export function createSlackModule(opts: SlackOptions): SlackModule {
  const log = opts.log.child({ desk: 'slack' })
  const logger = boltLogger(log)
  const httpReceiver =
    opts.appToken === undefined
      ? new HTTPReceiver({
          signingSecret: opts.signingSecret ?? '',
          endpoints: SLACK_EVENTS_PATH,
          processBeforeResponse: false,
          logger,
        })
      : undefined
  const receiver =
    httpReceiver ?? createSocketReceiver({ appToken: opts.appToken ?? '', apiUrl: opts.apiUrl, logger, log })
  const app = new App({
    token: opts.botToken,
    receiver,
    logger,
    deferInitialization: true,
    // The outbox owns retries and reads Retry-After; the client must fail fast instead of waiting.
    clientOptions: {
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      ...(opts.apiUrl !== undefined && { slackApiUrl: opts.apiUrl }),
    },
  })
  registerListeners(app, { ...opts, log })

  let lastCheck: { at: number; ok: boolean } | undefined

  return {
    desk: createSlackDesk(app.client, opts.supportChannel, opts.ticketTypes),

    routes: () =>
      httpReceiver === undefined
        ? []
        : [
            {
              method: 'POST',
              path: SLACK_EVENTS_PATH,
              handle: (req, res) => {
                httpReceiver.requestListener(req, res)
                return Promise.resolve()
              },
            },
          ],

    async start() {
      try {
        await app.init()
      } catch (error) {
        throw new DeskError('rejected', toDeskError('auth.test', error).message, { cause: error })
      }
      lastCheck = { at: opts.clock.now().getTime(), ok: true }
      if (httpReceiver === undefined) await app.start()
      log.info({ mode: httpReceiver === undefined ? 'socket' : 'http' }, 'slack desk ready')
    },

    async stop() {
      if (httpReceiver === undefined) await app.stop()
    },

    async healthy() {
      if (lastCheck !== undefined && opts.clock.now().getTime() - lastCheck.at < HEALTH_TTL_MS)
        return lastCheck.ok
      const ok = await app.client.auth
        .test()
        .then((r) => r.ok === true)
        .catch(() => false)
      lastCheck = { at: opts.clock.now().getTime(), ok }
      return ok
    },
  }
}
