import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { BOT_USER_ID, startFakeSlack, type FakeSlack } from '../fakes/slack-api.js'
import { startFakeTelegram, telegramText, type FakeTelegram } from '../fakes/telegram-api.js'
import { eventEnvelope, newTs, postToSlackEndpoint, SIGNING_SECRET } from '../helpers/slack-requests.js'
import { openingOf } from '../helpers/slack-posts.js'
import { createBalancer, type Balancer } from './balancer.js'
import { BotProcess, botTag } from './bot-process.js'
import { faultsServer, scenarioSchema, type ScenarioSchema } from './database.js'
import { seededRandom } from './rng.js'
import { customerOf, judge, tokensIn, type Kill, type Observed, type Verdict } from './verdict.js'
import { pause, waitFor, waitForProgress } from './wait.js'

export const MAIN_JS = resolve(import.meta.dirname, '../../dist/src/main.js')
export const SUPPORT_CHANNEL = 'CSUPPORT'
export const AGENT = 'UAGENT'
const TELEGRAM_TOKEN = '123456:FAULTS-token'
const WEBHOOK_SECRET = 'faults-secret_1'
const FIRST_CHAT_ID = 9_000

/** Slack waits 3 s for an answer (Telegram is given as long). */
const PLATFORM_TIMEOUT_MS = 3_000
/**
 * Slack retries an event 3 times: at once, after 1 minute, after 5 minutes. Here the same, compressed
 * (a bot that answers 500 while it cannot store is given its second and third chance).
 */
const SLACK_RETRY_DELAYS_MS = [0, 2_000, 5_000]
/** Telegram keeps retrying a webhook update that did not get a 2xx, less and less often. */
const TELEGRAM_RETRY_DELAYS_MS = [500, 1_000, 2_000, 2_000, 2_000, 3_000, 3_000, 3_000]
/** Telegram opens at most this many connections to a webhook at once (setWebhook's max_connections default). */
const TELEGRAM_MAX_CONNECTIONS = 40
/** How long a platform waits for the bot to come back before its retry counts as failed. */
const BACK_WITHIN_MS = 30_000
const START_WITHIN_MS = 20_000
const TELEGRAM_START_WITHIN_MS = 5_000
/** SHUTDOWN_TIMEOUT_MS (5 s here) and some. */
const STOP_WITHIN_MS = 10_000

export interface WorldOptions {
  readonly name: string
  /** The bot to run: this checkout's build by default. */
  readonly mainJs?: string
  readonly telegram?: 'polling' | 'webhook'
  /** Settings beyond the common ones (they win). */
  readonly env?: Readonly<Record<string, string>>
  /** A folder for the database (a small tmpfs in the disk-full scenario); the scenario's own folder by default. */
  readonly dataDir?: string
  /**
   * How many bots share the database (PostgreSQL), each on a port of its own behind a balancer that
   * spreads the platforms' requests over them; 1 by default.
   */
  readonly replicas?: number
  /** Seeds the balancer's choices. */
  readonly seed?: number
}

/** One replica: its port, and the bots that ran on it one after another. */
export interface Replica {
  readonly index: number
  readonly port: number
  readonly bots: BotProcess[]
}

interface Item {
  readonly token: string
  ackedAt: number | undefined
}

export interface Customer {
  readonly index: number
  readonly chatId: string
  readonly name: string
  readonly messages: Item[]
  readonly replies: Item[]
  readonly notes: string[]
  /** Its replies must arrive promptly (see `World.promptMs`). */
  prompt: boolean
  /** Customer messages wait for the one before to be acknowledged (webhook mode: Telegram's order). */
  queue: Promise<void>
}

/**
 * One scenario's world: fake Slack and Telegram on loopback, the built bot as a child process (or
 * several replicas of it), customers and an agent who talk through the fakes the way the platforms
 * would, and a record of every kill. The bot is a black box: environment in, HTTP and fake platform
 * calls out. Each incarnation reaches the fakes through URLs tagged with its number, so every post
 * and send is known by the bot that made it.
 */
export class World {
  readonly customers: Customer[] = []
  readonly kills: Kill[] = []
  /** Every bot started, in order, whatever its replica. */
  readonly incarnations: BotProcess[] = []
  readonly replicas: Replica[]
  /** Spreads the platforms' requests over the replicas. */
  readonly front: Balancer
  readonly notes: string[] = []
  /** The bound on `prompt` customers' replies, ms from acknowledgement to delivery. */
  promptMs: number | undefined
  private eventSeq = 0
  private readonly openedAt = Date.now()
  /** The thread each customer's messages were last posted in: `threadOf`, kept as posts arrive. */
  private readonly threads = new Map<number, string>()

  private constructor(
    readonly opts: WorldOptions,
    readonly dir: string,
    readonly slack: FakeSlack,
    readonly telegram: FakeTelegram,
    ports: readonly number[],
    private readonly env: Record<string, string>,
    /** The scenario's PostgreSQL schema, when it has one. */
    private readonly schema?: ScenarioSchema,
  ) {
    this.replicas = ports.map((port, index) => ({ index, port, bots: [] }))
    this.front = createBalancer(
      () => this.replicas.map((r) => ({ name: String(r.index), base: `http://127.0.0.1:${r.port}` })),
      seededRandom((opts.seed ?? 0) ^ 0x6a1b),
    )
    telegram.onConfirm((ids) => this.acknowledgeUpdates(ids))
    telegram.onSend((d) =>
      this.trace(`Telegram accepted ${quote(d.text)} for chat ${d.chatId}${this.from(d.by)}`),
    )
    slack.onAnswer((a) => {
      if (a.method !== 'chat.postMessage') return
      const threadTs = typeof a.args.thread_ts === 'string' ? a.args.thread_ts : undefined
      const shown = threadTs === undefined ? (openingOf(a.args) ?? '') : String(a.args.text)
      for (const token of tokensIn(shown))
        if (token.includes('-m')) this.threads.set(customerOf(token), threadTs ?? String(a.result.ts))
      const where = threadTs === undefined ? 'as a root' : `in thread ${threadTs}`
      this.trace(`Slack accepted ${quote(String(a.args.text))} ${where}${this.from(a.by)}`)
    })
  }

  /** ` from #3`, for a call a bot made through its tagged URL. */
  private from(tag: string | undefined): string {
    const bot = this.incarnations.find((b) => b.tag === tag)
    return bot === undefined ? '' : ` from #${bot.incarnation}`
  }

  /** Starts the fakes; `start` then starts the bot. */
  static async create(opts: WorldOptions): Promise<World> {
    const dir = mkdtempSync(join(tmpdir(), `threaddesk-faults-${opts.name}-`))
    // Ts on the wall clock: a reply under a root just posted is one the bot may ask Slack to resend.
    const slack = await startFakeSlack({ wallClockTs: true })
    const telegram = await startFakeTelegram(TELEGRAM_TOKEN)
    const ports: number[] = []
    for (let i = 0; i < (opts.replicas ?? 1); i++) ports.push(await freePort())
    // On PostgreSQL (TEST_DATABASE_URL) each scenario gets a schema; a dataDir is for a SQLite file.
    const schema =
      faultsServer === undefined || opts.dataDir !== undefined
        ? undefined
        : await scenarioSchema(faultsServer, opts.name)
    if (ports.length > 1 && schema === undefined)
      throw new Error(
        'replicas share a PostgreSQL database: run with TEST_DATABASE_URL (scripts/with-postgres.sh)',
      )
    // Each bot's PORT and its tagged SLACK_API_URL and TELEGRAM_API_ROOT are added when it starts.
    const env: Record<string, string> = {
      DATABASE_URL: schema?.url ?? `file:${join(opts.dataDir ?? dir, 'td.db')}`,
      LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN: 'xoxb-faults-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_SUPPORT_CHANNEL: SUPPORT_CHANNEL,
      SLACK_SUPERVISORS: AGENT,
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      REPLY_DELAY_S: '0',
      SHUTDOWN_TIMEOUT_MS: '5000',
      // The scheduler's daily digest would post at 08:00 UTC; nothing else of it runs in a minute.
      DIGEST_TIME: 'off',
      ...(opts.telegram === 'webhook' && {
        PUBLIC_URL: 'https://desk.example.com',
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      }),
    }
    return new World(opts, dir, slack, telegram, ports, env, schema)
  }

  /** A line in trace.log beside the bot's logs: what the harness did and when (ms since the world opened). */
  trace(line: string): void {
    appendFileSync(join(this.dir, 'trace.log'), `${String(Date.now() - this.openedAt).padStart(7)} ${line}\n`)
  }

  /** The first replica's bot running now (or its last one, when it is dead): the bot, when there is one. */
  get bot(): BotProcess {
    return this.botOf(0)
  }

  /** The bot running now on a replica, or its last one. */
  botOf(replica: number): BotProcess {
    const bot = this.replicas[replica]?.bots.at(-1)
    if (bot === undefined) throw new Error(`replica ${replica} was never started`)
    return bot
  }

  /** The first replica's port. */
  get port(): number {
    return this.replicas[0]?.port ?? 0
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** Starts every replica, side by side (as compose does): each is given the time one alone would get, times their number. */
  async start(): Promise<void> {
    const within = START_WITHIN_MS * this.replicas.length
    await Promise.all(this.replicas.map((r) => this.startReplica(r.index, within)))
  }

  /** Starts a bot on one replica; resolves once it listens and, unless others may be polling, talks to Telegram. */
  async startReplica(index: number, withinMs = START_WITHIN_MS): Promise<void> {
    const replica = this.replicas[index]
    if (replica === undefined) throw new Error(`there is no replica ${index}`)
    const n = this.incarnations.length + 1
    const tag = botTag(n)
    const bot = new BotProcess({
      incarnation: n,
      mainJs: this.opts.mainJs ?? MAIN_JS,
      cwd: this.dir,
      env: {
        ...this.env,
        PORT: String(replica.port),
        SLACK_API_URL: this.slack.apiUrlVia(tag),
        TELEGRAM_API_ROOT: this.telegram.viaUrl(tag),
        ...this.opts.env,
      },
      port: replica.port,
      logFile: join(this.dir, `bot-${n}.log`),
    })
    this.incarnations.push(bot)
    replica.bots.push(bot)
    const spawnedAt = Date.now()
    const where = this.replicas.length > 1 ? ` as replica ${index}` : ''
    this.trace(`start #${n}${where} (pid ${bot.pid})`)
    await bot.waitListening(withinMs)
    this.trace(`#${n} listening`)
    // Of several polling replicas only the elected one polls: the scenario watches for that itself.
    if (this.opts.telegram !== 'webhook' && this.replicas.length > 1) return
    // Started means talking to Telegram too (polling, or the webhook set); a bot that never does is
    // not refused here: what it then fails to deliver is counted.
    const method = this.opts.telegram === 'webhook' ? 'setWebhook' : 'getUpdates'
    const started = await waitFor(
      `#${n} to call ${method}`,
      () => this.telegram.calls.some((c) => c.method === method && c.by === tag && c.at >= spawnedAt),
      TELEGRAM_START_WITHIN_MS,
    ).catch(() => false)
    this.trace(started ? `#${n} called ${method}` : `#${n} has not called ${method} yet`)
  }

  /** SIGKILL now; resolves once it is dead. */
  async kill(): Promise<void> {
    await this.killReplica(0)
  }

  /** SIGKILL one replica's bot; resolves once it is dead. */
  async killReplica(index: number): Promise<void> {
    const bot = this.botOf(index)
    this.trace(`SIGKILL #${bot.incarnation}`)
    this.kills.push({ at: await bot.kill(), bot: bot.tag })
  }

  /** SIGKILL from inside a fake's hook, before the fake answers the bot; the restart follows elsewhere. */
  killNow(): void {
    if (!this.bot.alive) return
    this.kills.push({ at: this.bot.killNow(), bot: this.bot.tag })
    this.trace(`SIGKILL #${this.bot.incarnation} (from a hook)`)
  }

  async killAndRestart(): Promise<void> {
    await this.kill()
    await this.startReplica(0)
  }

  /** Stops the bot the gentle way (SIGTERM) and starts it again. */
  async restart(): Promise<void> {
    this.trace(`SIGTERM #${this.bot.incarnation}`)
    const note = await this.bot.stop(STOP_WITHIN_MS)
    if (note !== undefined) this.notes.push(note)
    await this.startReplica(0)
  }

  /** Restarts after a kill that `killNow` made from a hook. */
  async restartAfterKill(): Promise<void> {
    await this.bot.whenExited()
    await this.startReplica(0)
  }

  customer(index: number): Customer {
    let c = this.customers.find((x) => x.index === index)
    if (c === undefined) {
      c = {
        index,
        chatId: String(FIRST_CHAT_ID + index),
        name: `Cust${index}`,
        messages: [],
        replies: [],
        notes: [],
        prompt: false,
        queue: Promise.resolve(),
      }
      this.customers.push(c)
    }
    return c
  }

  /**
   * The customer writes their next message (`c3-m2`). By long polling it waits in Telegram for the
   * bot; by webhook it is posted in the background, in order, until the bot answers 2xx (`delivered`
   * waits for that). `onAck` runs the moment the bot acknowledges it (webhook mode).
   */
  say(c: Customer, onAck?: () => void): string {
    const item: Item = { token: `c${c.index}-m${c.messages.length + 1}`, ackedAt: undefined }
    c.messages.push(item)
    const message = telegramText(item.token, { id: Number(c.chatId), first_name: c.name })
    if (this.opts.telegram !== 'webhook') {
      const { update_id } = this.telegram.push(message)
      this.pendingUpdates.set(update_id, item)
      this.trace(`${item.token} queued as update ${update_id}`)
      return item.token
    }
    const update = JSON.stringify({ update_id: ++this.webhookUpdateId, message })
    c.queue = c.queue.then(async () => {
      const post = (base: string) =>
        this.telegramConnections(() =>
          fetch(`${base}/webhooks/telegram`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-telegram-bot-api-secret-token': WEBHOOK_SECRET,
            },
            body: update,
            signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS),
          }),
        )
      item.ackedAt = await this.deliver(item.token, TELEGRAM_RETRY_DELAYS_MS, post, onAck)
    })
    return item.token
  }

  /** Resolves when every customer message posted by webhook was acknowledged or given up. */
  async delivered(): Promise<void> {
    await Promise.all(this.customers.map((c) => c.queue))
  }

  /** The agent answers in the ticket's thread (`c3-r1`); resolves when Slack got a 2xx for the event, or gave up. */
  async reply(c: Customer, onAck?: () => void): Promise<string> {
    const item: Item = { token: `c${c.index}-r${c.replies.length + 1}`, ackedAt: undefined }
    c.replies.push(item)
    item.ackedAt = await this.threadMessage(c, item.token, onAck)
    return item.token
  }

  /** The agent writes a private note in the ticket's thread; it must never reach the customer. */
  async note(c: Customer): Promise<void> {
    const text = `note: secret-c${c.index}-n${c.notes.length + 1}`
    c.notes.push(text)
    await this.threadMessage(c, text)
  }

  /** The thread of the customer's ticket: where Slack shows their messages (the first in its root). */
  threadOf(c: Customer): string | undefined {
    return this.threads.get(c.index)
  }

  /** Each customer writes a first message; resolves when every ticket's thread shows it. */
  async openTickets(indices: readonly number[], timeoutMs = 30_000): Promise<Customer[]> {
    const customers = indices.map((i) => this.customer(i))
    for (const c of customers) this.say(c)
    await waitFor(
      'every ticket thread',
      () => customers.every((c) => this.threadOf(c) !== undefined),
      timeoutMs,
    )
    return customers
  }

  /** Waits until the bot has made no call to Slack for `quietMs`: what it had queued is out. */
  async slackQuiet(quietMs = 1_500, timeoutMs = 30_000): Promise<void> {
    await waitFor(
      'Slack to be quiet',
      () => Date.now() - (this.slack.calls.at(-1)?.at ?? 0) >= quietMs,
      timeoutMs,
    )
  }

  /** How many customer messages and replies have not reached the other side yet. */
  missing(): number {
    return judge(this.observed()).lost.length
  }

  /** Waits for everything sent to arrive, while it keeps arriving. Resolves with what is still missing. */
  settle(stallMs: number, hardMs: number): Promise<number> {
    return waitForProgress(() => this.missing(), { stallMs, hardMs })
  }

  /** Stops the bots (SIGTERM), then the fakes. */
  async close(keepDir: boolean): Promise<void> {
    const notes = await Promise.all(
      this.replicas.map(async (r) => r.bots.at(-1)?.stop(STOP_WITHIN_MS) ?? Promise.resolve(undefined)),
    )
    for (const note of notes) if (note !== undefined) this.notes.push(note)
    await this.slack.setOutage(undefined)
    await this.slack.close()
    await this.telegram.close()
    if (keepDir) {
      // The database goes with the server that with-postgres.sh started: its rows stay beside the logs.
      await this.schema
        ?.dump(this.dir)
        .catch((error: unknown) => this.notes.push(`no database dump: ${String(error)}`))
    } else {
      rmSync(this.dir, { recursive: true, force: true })
      await this.schema?.drop()
    }
  }

  /**
   * Whatever has not arrived by now is lost, even if it arrives later: for scenarios whose promise
   * is a time ("within 5 s of Slack being back") and that restart the bot afterwards.
   */
  deadline(label: string): void {
    for (const entry of judge(this.observed()).lost) {
      const token = entry.split(' ')[0] ?? entry
      if (!this.overdue.has(token)) this.overdue.set(token, `${token} (not there ${label})`)
    }
  }

  verdict(): Verdict {
    const verdict = judge(this.observed())
    // Missing at a deadline is the stronger statement: it is said even when the message came later.
    const lostNow = verdict.lost.filter((entry) => !this.overdue.has(entry.split(' ')[0] ?? entry))
    return { ...verdict, lost: [...this.overdue.values(), ...lostNow] }
  }

  observed(): Observed {
    return {
      customers: this.customers.map((c) => ({
        index: c.index,
        chatId: c.chatId,
        messages: c.messages,
        replies: c.replies,
        prompt: c.prompt,
      })),
      slackPosts: this.slack.answered
        .filter((a) => a.method === 'chat.postMessage')
        .map((a) => {
          const opening = a.args.thread_ts === undefined ? openingOf(a.args) : undefined
          return {
            at: a.at,
            by: a.by,
            ts: String(a.result.ts),
            threadTs: typeof a.args.thread_ts === 'string' ? a.args.thread_ts : undefined,
            text: String(a.args.text),
            ...(opening !== undefined && { opening }),
          }
        }),
      telegramSends: this.telegram.deliveries,
      telegramAttempts: this.telegram.calls
        .filter((c) => c.method === 'sendMessage')
        .map((c) => String(c.args.text)),
      kills: this.kills,
      crashes: this.incarnations.flatMap((b) => b.crashes()),
      ...(this.promptMs !== undefined && { promptMs: this.promptMs }),
    }
  }

  // ---------------------------------------------------------------------------------------------

  private webhookUpdateId = 70_000
  private readonly telegramConnections = limit(TELEGRAM_MAX_CONNECTIONS)
  private readonly pendingUpdates = new Map<number, Item>()
  private readonly overdue = new Map<string, string>()

  private acknowledgeUpdates(ids: readonly number[]): void {
    this.trace(`getUpdates confirmed ${ids.join(', ')}`)
    const now = Date.now()
    for (const id of ids) {
      const item = this.pendingUpdates.get(id)
      if (item !== undefined) item.ackedAt ??= now
      this.pendingUpdates.delete(id)
    }
  }

  private async threadMessage(c: Customer, text: string, onAck?: () => void): Promise<number | undefined> {
    const threadTs = await waitFor(`the thread of customer ${c.index}`, () => this.threadOf(c), 20_000)
    const eventId = `EvF${++this.eventSeq}`
    const event = {
      type: 'message',
      channel: SUPPORT_CHANNEL,
      channel_type: 'channel',
      user: AGENT,
      text,
      ts: newTs(),
      thread_ts: threadTs,
      // As Slack says of a reply: who posted the thread's root (the bot).
      parent_user_id: BOT_USER_ID,
    }
    const body = eventEnvelope(event, eventId)
    return this.deliver(
      text,
      SLACK_RETRY_DELAYS_MS,
      (base, retryNum) =>
        postToSlackEndpoint(base, body, 'application/json', {
          ...(retryNum > 0 && { retryNum }),
          signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS),
        }),
      onAck,
    )
  }

  /**
   * Delivers a request the way a platform does, through the balancer: retries after each delay when
   * no bot answers 2xx in time, once one is back. Resolves with when it was acknowledged, or undefined.
   */
  private async deliver(
    what: string,
    retryDelaysMs: readonly number[],
    send: (base: string, retryNum: number) => Promise<Response>,
    onAck?: () => void,
  ): Promise<number | undefined> {
    for (let attempt = 0; attempt <= retryDelaysMs.length; attempt++) {
      if (attempt > 0) await pause(retryDelaysMs[attempt - 1] ?? 0)
      const up = await waitFor(
        'a bot to listen',
        () => this.replicas.some((r) => r.bots.at(-1)?.alive === true && r.bots.at(-1)?.listening === true),
        BACK_WITHIN_MS,
      ).catch(() => false)
      if (!up) continue
      const sent = await this.front.forward((base) => send(base, attempt))
      const by = sent.via === undefined ? '' : ` by #${this.botOf(Number(sent.via.name)).incarnation}`
      if ('res' in sent && sent.res.ok) {
        const at = Date.now()
        // Right at the answer: a kill here lands between the acknowledgement and whatever follows it.
        onAck?.()
        this.trace(`${what} acknowledged${by} (attempt ${attempt + 1})`)
        await sent.res.arrayBuffer().catch(() => undefined)
        return at
      }
      if ('res' in sent) await sent.res.arrayBuffer().catch(() => undefined)
      this.trace(
        `${what} not acknowledged${by} (attempt ${attempt + 1}): ${'res' in sent ? sent.res.status : sent.error}`,
      )
    }
    return undefined
  }
}

/** The start of a text, quoted on one line (a post that carries several messages has line breaks). */
const quote = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)

/** Runs at most `n` of the functions given to it at once; the others wait their turn, in order. */
function limit(n: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0
  const queue: (() => void)[] = []
  return async (work) => {
    if (running >= n) await new Promise<void>((resolve) => queue.push(resolve))
    else running++
    try {
      return await work()
    } finally {
      const next = queue.shift()
      if (next === undefined) running--
      else next()
    }
  }
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no free port')
  return address.port
}
