import { App, HTTPReceiver, LogLevel, type Logger as BoltLogger } from '@slack/bolt'
import { DeskError, describeError } from '../../src/core/errors.js'
import type { Logger } from '../../src/core/logger.js'
import type { AgentDesk, WebhookRoute } from '../../src/core/ports.js'
import type { Access } from '../../src/core/access.js'
import type { DeskDirectory } from '../../src/core/ports.js'
import { createSlackDesk } from './desk.js'
import { createSlackDirectory } from './directory.js'
import { accessGuard } from './guard.js'
import { registerUndo } from './undo.js'
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
  /** How long one Web API call may take. */
  readonly sendTimeoutMs?: number
  /** Who may act, decided with Slack's directory of people. */
  readonly access: (directory: DeskDirectory) => Access
}

export interface SlackModule {
  /** Where the outbox shows tickets. */
  readonly desk: AgentDesk
  routes(): readonly WebhookRoute[]
  /**
   * Checks the token (auth.test) and, in Socket Mode, connects. A token Slack refuses stops
   * start-up; a Slack that cannot be reached is tried again in the background.
   */
  start(): Promise<void>
  stop(): Promise<void>
  /** Whether Slack answered lately: a rate limit is an answer, an unreachable Slack is not. */
  reachable(): Promise<{ ok: boolean; detail?: string }>
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
          // Acknowledge only what is stored: the listener runs before Slack gets its answer, and a
          // failure answers 500 so Slack sends the event again.
          processBeforeResponse: true,
          // app.error has logged the failure with its stack; the answer only asks Slack to retry.
          processEventErrorHandler: ({ response }) => {
            if (!response.headersSent) {
              response.writeHead(500)
              response.end()
            }
            return Promise.resolve(false)
          },
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
      ...(opts.sendTimeoutMs !== undefined && { timeout: opts.sendTimeoutMs }),
      ...(opts.apiUrl !== undefined && { slackApiUrl: opts.apiUrl }),
    },
  })
  // Before any listener: only agents act, on every door.
  app.use(
    accessGuard({
      access: opts.access(createSlackDirectory(app.client)),
      isTicketThread: async (thread) => (await opts.helpdesk.ticketOfThread(thread)) !== undefined,
      log,
    }),
  )
  registerListeners(app, { ...opts, log })
  registerUndo(app, { helpdesk: opts.helpdesk, log, noteMarkers: opts.noteMarkers })

  app.error(async (error) => {
    log.error({ err: error }, 'slack listener failed')
    // Rethrown, so the request is answered 500 and Slack sends it again.
    return Promise.reject(error)
  })

  let lastCheck: { at: number; ok: boolean; detail?: string } | undefined
  let stopped = false
  const mode = httpReceiver === undefined ? 'socket' : 'http'

  /** auth.test, then (Socket Mode) the connection; throws a DeskError that says whether to retry. */
  async function connect(): Promise<void> {
    try {
      await app.init()
    } catch (error) {
      throw toDeskError('auth.test', error)
    }
    lastCheck = { at: opts.clock.now().getTime(), ok: true }
    if (httpReceiver === undefined) await app.start()
    log.info({ mode }, 'slack desk ready')
  }

  async function keepConnecting(): Promise<void> {
    for (let attempt = 1; !stopped; attempt++) {
      const delayMs = Math.min(60_000, 1_000 * 2 ** (attempt - 1))
      await new Promise((resolve) => setTimeout(resolve, delayMs).unref())
      if (stopped) return
      try {
        await connect()
        return
      } catch (error) {
        log.error({ attempt, err: error }, 'slack still unreachable, retrying')
      }
    }
  }

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
        await connect()
      } catch (error) {
        const e = error instanceof DeskError ? error : toDeskError('auth.test', error)
        if (!e.retryable) throw new DeskError('rejected', e.message, { cause: error })
        // Events that arrive meanwhile are answered 500, so Slack sends them again.
        log.error({ err: error }, 'slack unreachable at start-up, retrying in the background')
        void keepConnecting()
      }
    },

    async stop() {
      stopped = true
      if (httpReceiver === undefined) await app.stop().catch(() => undefined)
    },

    async reachable() {
      const at = opts.clock.now().getTime()
      if (lastCheck !== undefined && at - lastCheck.at < HEALTH_TTL_MS) return lastCheck
      const answer = await app.client.auth.test().then(
        (r) => ({ ok: r.ok === true }),
        (error: unknown) => {
          const e = toDeskError('auth.test', error)
          return e.code === 'rate_limited' ? { ok: true } : { ok: false, detail: e.message }
        },
      )
      lastCheck = { at, ...answer }
      return answer
    },
  }
}
