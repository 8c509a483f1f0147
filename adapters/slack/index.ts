import { setTimeout as delay } from 'node:timers/promises'
import { App, HTTPReceiver, LogLevel, type Logger as BoltLogger } from '@slack/bolt'
import { DeskError, describeError, isDeskError } from '../../src/core/errors.js'
import { readRawBody } from '../../src/http/body.js'
import type { Logger } from '../../src/core/logger.js'
import type { AgentDesk, WebhookRoute } from '../../src/core/ports.js'
import type { Access } from '../../src/core/access.js'
import type { DeskDirectory } from '../../src/core/ports.js'
import { createSlackDesk } from './desk.js'
import { createHomePublisher, type HomePublisher } from './home-publisher.js'
import { createThreadLinks } from './thread-links.js'
import { createSlackFiles } from './files.js'
import { createSlackDirectory } from './directory.js'
import { accessGuard } from './guard.js'
import { toDeskError } from './errors.js'
import { registerListeners, type ListenerDeps } from './listeners.js'
import { createSocketReceiver } from './socket-receiver.js'
import { assertSignedBySlack } from './signature.js'
import { growingDelay } from '../../src/core/backoff.js'

export const SLACK_EVENTS_PATH = '/slack/events'

/** How long a request that arrives while the desk starts waits for it; Slack gives up after 3 s. */
const INIT_WAIT_MS = 2_000

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
  /** App Home's publisher: home tabs opened lately follow the tickets. */
  readonly home: HomePublisher
  /** Resolves once the work requests left for after their answer (a report's charts) is done. */
  followUps(): Promise<void>
}

/** The desk, telling App Home whenever a ticket's root message is posted or updated: the ticket changed. */
function keepingHomeCurrent(desk: AgentDesk, home: HomePublisher): AgentDesk {
  return {
    ...desk,
    async openThread(ticket) {
      const opened = await desk.openThread(ticket)
      home.changed()
      return opened
    },
    async updateThread(ticket) {
      await desk.updateThread(ticket)
      home.changed()
    },
  }
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
const SLACK_BODY_LIMIT = 4 * 1024 * 1024

/** Refuses a body that is neither a JSON object nor a form whose `payload`, if any, is one. */
function assertSlackShape(raw: Buffer, contentType: string | undefined): void {
  const isObject = (text: string): boolean => {
    try {
      const value: unknown = JSON.parse(text)
      return typeof value === 'object' && value !== null && !Array.isArray(value)
    } catch {
      return false
    }
  }
  const text = raw.toString('utf8')
  if ((contentType ?? '').includes('json')) {
    if (!isObject(text)) throw new DeskError('invalid', 'body is not a JSON object')
    return
  }
  const payload = new URLSearchParams(text).get('payload')
  if (payload !== null && !isObject(payload)) throw new DeskError('invalid', 'payload is not a JSON object')
}
const REACHABLE_TIMEOUT_MS = 3_000
/** How long stopping waits for a report's charts under way. */
const FOLLOW_UP_GRACE_MS = 10_000

/** The agent desk on Slack: Bolt for what agents do, the Web API for what the outbox shows them. */
export function createSlackModule(opts: SlackOptions): SlackModule {
  const log = opts.log.child({ desk: 'slack' })
  const logger = boltLogger(log)
  const httpReceiver =
    opts.appToken === undefined
      ? new HTTPReceiver({
          signingSecret: opts.signingSecret ?? '',
          // Our route checks the signature before anything reads the body (assertSignedBySlack), and
          // is the only way in: checking it here again would hash every request twice.
          signatureVerification: false,
          endpoints: SLACK_EVENTS_PATH,
          // Acknowledge only what is stored: the listener runs before Slack gets its answer, and a
          // failure answers 500 so Slack sends the event again.
          processBeforeResponse: true,
          // A request no listener handles (an unknown action or command) is answered, not left to time out.
          unhandledRequestTimeoutMillis: 2_500,
          unhandledRequestHandler: ({ response }) => {
            log.warn('slack request that nothing handles')
            if (!response.headersSent) {
              response.writeHead(200)
              response.end()
            }
          },
          // The answer asks Slack to send it again.
          processEventErrorHandler: ({ error, response }) => {
            // Errors inside Bolt itself never reach app.error: say them here.
            log.warn({ err: error }, 'slack request failed')
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
  const home = createHomePublisher({
    client: app.client,
    home: opts.home,
    clock: opts.clock,
    log,
    labelOf: opts.channels.labelOf,
    hours: opts.hours,
    threadLink: createThreadLinks(app),
  })
  const followUps = registerListeners(app, { ...opts, log }, home)

  app.error(async (error) => {
    // A wait that Slack's retry ends (a thread whose ticket is still being recorded) is no failure.
    if (isDeskError(error) && error.code === 'unavailable')
      log.warn({ err: error }, 'slack event put off until Slack sends it again')
    else log.error({ err: error }, 'slack listener failed')
    // Rethrown, so the request is answered 500 and Slack sends it again.
    return Promise.reject(error)
  })

  let lastCheck: { at: number; ok: boolean; detail?: string } | undefined
  let stopped = false
  // Bolt cannot handle a request before init() (auth.test) has finished: requests wait for it.
  let initialized = false
  let markReady: () => void = () => undefined
  const ready = new Promise<void>((resolve) => (markReady = resolve))
  let checking: Promise<{ ok: boolean; detail?: string }> | undefined
  const mode = httpReceiver === undefined ? 'socket' : 'http'

  /** auth.test, then (Socket Mode) the connection; throws a DeskError that says whether to retry. */
  async function connect(): Promise<void> {
    try {
      await app.init()
    } catch (error) {
      throw toDeskError('auth.test', error)
    }
    initialized = true
    markReady()
    lastCheck = { at: opts.clock.now().getTime(), ok: true }
    if (httpReceiver === undefined) await app.start()
    log.info({ mode }, 'slack desk ready')
  }

  async function keepConnecting(): Promise<void> {
    for (let attempt = 1; !stopped; attempt++) {
      const delayMs = growingDelay(attempt, 1_000, 60_000)
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
    desk: keepingHomeCurrent(
      createSlackDesk(
        app.client,
        opts.supportChannel,
        opts.ticketTypes,
        opts.channels,
        opts.hours,
        createSlackFiles(app.client, opts.botToken, opts.apiUrl),
      ),
      home,
    ),
    home,

    routes: () =>
      httpReceiver === undefined
        ? []
        : [
            {
              method: 'POST',
              path: SLACK_EVENTS_PATH,
              async handle(req, res) {
                // Read here, so a body Bolt would choke on (JSON null, a payload that is no object)
                // is a plain 400; Bolt takes the bytes already read from `rawBody`.
                const raw = await readRawBody(req, SLACK_BODY_LIMIT)
                assertSignedBySlack(req.headers, raw, opts.signingSecret ?? '')
                assertSlackShape(raw, req.headers['content-type'])
                if (!initialized) {
                  // Just started: wait briefly for Slack's auth.test rather than lose the event.
                  await Promise.race([ready, delay(INIT_WAIT_MS, undefined, { ref: false })])
                  if (!initialized) throw new DeskError('unavailable', 'the Slack desk is still starting')
                }
                Object.assign(req, { rawBody: raw })
                httpReceiver.requestListener(req, res)
              },
            },
          ],

    async start() {
      try {
        await connect()
      } catch (error) {
        const e = error instanceof DeskError ? error : toDeskError('auth.test', error)
        if (!e.retryable) throw new DeskError('rejected', e.message, { cause: error })
        // Events that arrive meanwhile are answered 503, so Slack sends them again.
        log.error({ err: error }, 'slack unreachable at start-up, retrying in the background')
        void keepConnecting()
      }
    },

    followUps: () => followUps.settled(),

    async stop() {
      stopped = true
      home.stop()
      // A report's charts under way are finished: they are queued for delivery, not lost.
      await Promise.race([followUps.settled(), delay(FOLLOW_UP_GRACE_MS, undefined, { ref: false })])
      if (httpReceiver === undefined) await app.stop().catch(() => undefined)
    },

    async reachable() {
      const at = opts.clock.now().getTime()
      if (lastCheck !== undefined && at - lastCheck.at < HEALTH_TTL_MS) return lastCheck
      // One check at a time, however many probes ask, and never longer than a probe waits.
      checking ??= Promise.race([
        app.client.auth.test().then(
          (r) => ({ ok: r.ok === true }),
          (error: unknown) => {
            const e = toDeskError('auth.test', error)
            return e.code === 'rate_limited' ? { ok: true } : { ok: false, detail: e.message }
          },
        ),
        new Promise<{ ok: boolean; detail: string }>((resolve) =>
          setTimeout(
            () =>
              resolve({ ok: false, detail: `auth.test did not answer within ${REACHABLE_TIMEOUT_MS} ms` }),
            REACHABLE_TIMEOUT_MS,
          ).unref(),
        ),
      ]).finally(() => (checking = undefined))
      const answer = await checking
      lastCheck = { at, ...answer }
      return answer
    },
  }
}
