/**
 * P1 ingest: signed Telegram webhook updates into the built bot at a fixed concurrency, beside a
 * bare node:http server driven by the same client with the same requests.
 */
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { postToSlackEndpoint, slashCommandBody } from '../test/helpers/slack-requests.js'
import { AGENT, WEBHOOK_SECRET } from './bot.js'
import { allOk, closedLoop, openLoop, rateBetween, rateOf, type LoadResult, type Shot } from './load.js'
import { summariseProfile, type ProfileSummary } from './profile.js'
import { quantile, type Row } from './report.js'
import { ingest, TELEGRAM_HEADERS, telegramUpdates } from './telegram-load.js'
import { startCeiling, withBot, type BenchContext } from './world.js'

export interface IngestSizes {
  readonly updates: number
  readonly customers: number
  readonly concurrency: number
  /** No update leaves after this many seconds: a bot that slows to a crawl ends the run. */
  readonly budgetSeconds: number
  /** How long the open-loop run at half the ceiling's rate lasts, s. */
  readonly halfRateSeconds: number
}

const FIRST_CHAT_ID = 1_000_000
/** Telegram's most webhook requests at once (max_connections): a bot that falls behind meets this wall. */
const MAX_IN_FLIGHT = 100
const WEBHOOK = '/webhooks/telegram'

const round = (n: number) => Math.round(n * 10) / 10
const summary = (r: LoadResult) => ({
  answered: r.latencies.length,
  unsent: r.unsent,
  perSecond: Math.round(rateOf(r)),
  p50Ms: round(quantile(r.latencies, 0.5)),
  p99Ms: round(quantile(r.latencies, 0.99)),
  maxMs: round(quantile(r.latencies, 1)),
  statuses: r.statuses,
  ...(r.failedAfterMs.length > 0 && {
    failedAfterMs: {
      min: Math.round(Math.min(...r.failedAfterMs)),
      max: Math.round(Math.max(...r.failedAfterMs)),
    },
  }),
})

/** The rate in the run's first and last stretch (a tenth of it, 5 s at most): does it hold? */
function steadiness(r: LoadResult) {
  const stretch = Math.min(5_000, r.elapsedMs / 10)
  return {
    stretchS: round(stretch / 1000),
    firstPerSecond: Math.round(rateBetween(r, 0, stretch)),
    lastPerSecond: Math.round(rateBetween(r, r.elapsedMs - stretch, r.elapsedMs)),
  }
}

export interface IngestOutcome {
  readonly rows: Row[]
  readonly profile?: ProfileSummary
}

interface Bare {
  readonly full: LoadResult
  readonly half: LoadResult
  readonly halfRate: number
  readonly api: LoadResult
}

/** How many tickets the API run opens: a quarter of the updates, each a new customer's. */
const apiCount = (sizes: IngestSizes) => Math.max(10, Math.round(sizes.updates / 4))
const API_TICKETS = '/api/v1/tickets'

/**
 * POST /api/v1/tickets as a site sends them, each for another customer. They carry Telegram's
 * secret too, which the bot ignores: the ceiling checks that header and parses the body, the least
 * an API behind a key could do.
 */
function apiShots(count: number, key: string): Shot[] {
  return Array.from({ length: count }, (_, i) => ({
    body: JSON.stringify({
      contact: { externalId: `site-${i}`, name: `Site customer ${i}`, email: `c${i}@example.com` },
      message: `api-${i} where is my order?`,
    }),
    headers: { ...TELEGRAM_HEADERS, authorization: `Bearer ${key}` },
  }))
}

/** An API key, created as an admin creates one in Slack. */
async function createApiKey(base: string): Promise<string> {
  const res = await postToSlackEndpoint(
    base,
    slashCommandBody('/apikey', 'create bench', AGENT),
    'application/x-www-form-urlencoded',
  )
  const text = ((await res.json()) as { text?: string }).text ?? ''
  const key = /`(td_[^`]+)`/.exec(text)?.[1]
  if (key === undefined) throw new Error(`no API key in the answer: ${text}`)
  return key
}

/** The ceiling: the same requests into a bare server, then its p99 at half its own rate. */
async function measureCeiling(ctx: BenchContext, sizes: IngestSizes, shots: readonly Shot[]): Promise<Bare> {
  ctx.progress(`P1: the ceiling (bare node:http), ${sizes.updates} updates, ${sizes.concurrency} at once`)
  const ceiling = await startCeiling(resolve(import.meta.dirname, 'ceilings/ingest.ts'), {
    SECRET: WEBHOOK_SECRET,
  })
  try {
    const full = await closedLoop(`${ceiling.url}${WEBHOOK}`, shots, sizes.concurrency)
    const halfRate = Math.max(1, Math.round(rateOf(full) / 2))
    const half = await openLoop(
      `${ceiling.url}${WEBHOOK}`,
      halfRateShots(sizes, halfRate),
      halfRate,
      MAX_IN_FLIGHT,
      {
        budgetMs: sizes.halfRateSeconds * 1100,
      },
    )
    const api = await closedLoop(
      `${ceiling.url}${API_TICKETS}`,
      apiShots(apiCount(sizes), 'td_ceiling'),
      sizes.concurrency,
    )
    return { full, half, halfRate, api }
  } finally {
    await ceiling.stop()
  }
}

const halfRateShots = (sizes: IngestSizes, rate: number) =>
  telegramUpdates(
    Math.ceil(rate * sizes.halfRateSeconds),
    sizes.customers,
    FIRST_CHAT_ID,
    (c, m) => `c${c}-h${m}`,
  )

export async function measureIngest(ctx: BenchContext, sizes: IngestSizes): Promise<IngestOutcome> {
  const shots = telegramUpdates(sizes.updates, sizes.customers, FIRST_CHAT_ID)
  const bare = await measureCeiling(ctx, sizes, shots)

  ctx.progress(
    `P1: threaddesk, the same ${sizes.updates} updates from ${sizes.customers} customers (at most ${sizes.budgetSeconds} s)`,
  )
  const { result, problems } = await withBot(
    ctx,
    'p1',
    // The agent is an admin here too: it creates the API key the API run uses, whose rate limit is
    // lifted so that the run measures the work rather than the limit.
    {
      env: { SLACK_ADMINS: AGENT, API_RATE_LIMIT: '1000000/min' },
      ...(ctx.profileDir !== undefined && { profileDir: ctx.profileDir }),
    },
    async ({ bot }) => {
      const idle = bot.memory().rssMb
      await eventLoopDelay(bot.base) // the delay histogram restarts at every reading
      const sampled: number[] = []
      const timer = setInterval(() => sampled.push(bot.memory().rssMb), 100)
      const cpuBefore = bot.cpuMs()
      const ingested = await ingest(bot, shots, sizes.concurrency, sizes.budgetSeconds * 1000).finally(() =>
        clearInterval(timer),
      )
      const cpuMs = bot.cpuMs() - cpuBefore
      const after = bot.memory().rssMb
      const delay = await eventLoopDelay(bot.base)
      ctx.progress(
        `P1: threaddesk at half the ceiling's rate, ${bare.halfRate} req/s for ${sizes.halfRateSeconds} s`,
      )
      const half = await openLoop(
        `${bot.base}${WEBHOOK}`,
        halfRateShots(sizes, bare.halfRate),
        bare.halfRate,
        MAX_IN_FLIGHT,
        {
          budgetMs: sizes.halfRateSeconds * 1100,
        },
      )
      ctx.progress(
        `P1: threaddesk, ${apiCount(sizes)} tickets opened through the API, ${sizes.concurrency} at once`,
      )
      const key = await createApiKey(bot.base)
      const api = await closedLoop(
        `${bot.base}${API_TICKETS}`,
        apiShots(apiCount(sizes), key),
        sizes.concurrency,
      )
      return {
        api,
        pid: bot.process.pid,
        startMs: bot.readyMs ?? 0,
        idle,
        peak: Math.max(after, ...sampled),
        after,
        ingested,
        cpuMs,
        delay,
        half,
        window: {
          fromMs: ingested.load.startedAt - bot.spawnedAt,
          toMs: ingested.load.endedAt - bot.spawnedAt,
        },
      }
    },
  )
  const { ingested, half, api } = result
  const load = ingested.load
  const sent = shots.length - load.unsent
  const steady = steadiness(load)
  const notes = [
    ...(load.unsent > 0
      ? [
          `the ${sizes.budgetSeconds} s budget ran out: ${sent.toLocaleString('en')} of ${shots.length.toLocaleString('en')} updates sent`,
        ]
      : []),
    ...(steady.lastPerSecond < steady.firstPerSecond / 2
      ? [
          `the rate fell from ${steady.firstPerSecond} req/s in the first ${steady.stretchS} s to ${steady.lastPerSecond} in the last`,
        ]
      : []),
    ...([load, half, api].some((r) => !allOk(r))
      ? [
          `not every request was answered 2xx: ${JSON.stringify([load.statuses, half.statuses, api.statuses])}`,
        ]
      : []),
    ...(ingested.stored < sent ? [`only ${ingested.stored} of ${sent} sent were stored`] : []),
    ...problems,
  ]
  const halfNote =
    half.unsent > 0
      ? `${half.unsent.toLocaleString('en')} of ${(half.unsent + half.latencies.length).toLocaleString('en')} requests never left within ${sizes.halfRateSeconds} s (${MAX_IN_FLIGHT} waiting at once): the p99 of those answered understates it`
      : undefined
  const profile =
    ctx.profileDir === undefined
      ? undefined
      : summariseProfile(mainThreadProfile(ctx.profileDir, result.pid), result.window)

  const rows: Row[] = [
    {
      id: 'p1.ingest.rate',
      measure: `P1 ingest: ${sizes.updates.toLocaleString('en')} webhook updates, ${sizes.customers.toLocaleString('en')} customers, ${sizes.concurrency} at once`,
      unit: 'req/s',
      threaddesk: rateOf(load),
      ceiling: rateOf(bare.full),
      target: { of: 'ratio', op: '>=', bound: 0.5 },
      detail: { threaddesk: { ...summary(load), ...steady }, ceiling: summary(bare.full) },
      ...(notes.length > 0 && { note: notes.join('; ') }),
    },
    {
      id: 'p1.api.rate',
      measure: `P1 tickets opened through the API (POST /api/v1/tickets): ${apiCount(sizes).toLocaleString('en')}, ${sizes.concurrency} at once`,
      unit: 'req/s',
      threaddesk: rateOf(api),
      ceiling: rateOf(bare.api),
      target: null,
      detail: { threaddesk: summary(api), ceiling: summary(bare.api) },
    },
    {
      id: 'p1.ingest.p99',
      measure: `P1 ingest p99, ${sizes.concurrency} at once`,
      unit: 'ms',
      threaddesk: quantile(load.latencies, 0.99),
      ceiling: quantile(bare.full.latencies, 0.99),
      target: null,
      detail: {
        p50Ms: {
          threaddesk: round(quantile(load.latencies, 0.5)),
          ceiling: round(quantile(bare.full.latencies, 0.5)),
        },
      },
    },
    {
      id: 'p1.ingest.half-rate-p99',
      measure: `P1 ingest p99 at half the ceiling's rate (${bare.halfRate.toLocaleString('en')} req/s offered)`,
      unit: 'ms',
      threaddesk: quantile(half.latencies, 0.99),
      ceiling: quantile(bare.half.latencies, 0.99),
      target: { of: 'value', op: '<=', bound: 20 },
      detail: { offeredPerSecond: bare.halfRate, threaddesk: summary(half), ceiling: summary(bare.half) },
      ...(halfNote !== undefined && { note: halfNote }),
    },
    {
      id: 'p1.ingest.stored',
      measure: `P1 time until every update sent (${sent.toLocaleString('en')}) is stored with its deliveries`,
      unit: 's',
      threaddesk: ingested.storedMs / 1000,
      // When the ceiling had answered as many: the same work on both sides, even when the budget ran out.
      ceiling: (bare.full.answeredAtMs[Math.max(0, sent - 1)] ?? bare.full.elapsedMs) / 1000,
      target: null,
      detail: { stored: ingested.stored, sent },
    },
    {
      id: 'p1.cpu',
      measure:
        "P1 the bot's CPU time per update stored (user and system, from the first request until all are stored)",
      unit: 'µs',
      threaddesk: ingested.stored > 0 ? (result.cpuMs * 1000) / ingested.stored : 0,
      ceiling: null,
      target: null,
      detail: { cpuMs: result.cpuMs, stored: ingested.stored },
    },
    {
      id: 'p1.event-loop',
      measure: "P1 the bot's event loop delay during ingest, max",
      unit: 'ms',
      threaddesk: result.delay.maxMs,
      ceiling: null,
      target: null,
      detail: result.delay,
    },
    {
      id: 'p1.rss',
      measure: 'P1 RSS peak under ingest',
      unit: 'MB',
      threaddesk: result.peak,
      ceiling: null,
      target: null,
      detail: {
        idleMb: Math.round(result.idle),
        peakMb: Math.round(result.peak),
        afterMb: Math.round(result.after),
      },
      note: `idle ${Math.round(result.idle)} MB (empty database), peak ${Math.round(result.peak)} MB, ${Math.round(result.after)} MB after`,
    },
    {
      id: 'p1.start',
      measure: 'P1 start to /readyz, empty database',
      unit: 's',
      threaddesk: result.startMs / 1000,
      ceiling: null,
      target: null,
    },
  ]
  return { rows, ...(profile !== undefined && { profile }) }
}

/**
 * The event loop's delay since the last reading, from the bot's own /metrics (prom-client's
 * histogram of perf_hooks.monitorEventLoopDelay, reset at each scrape).
 */
async function eventLoopDelay(base: string): Promise<{ maxMs: number; p99Ms: number; meanMs: number }> {
  const text = await fetch(`${base}/metrics`).then((r) => r.text())
  const gauge = (name: string) =>
    Number(
      new RegExp(`^threaddesk_nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(
        text,
      )?.[1] ?? NaN,
    ) * 1000
  return { maxMs: gauge('max'), p99Ms: gauge('p99'), meanMs: gauge('mean') }
}

/** The profile of the bot's main thread (node names them CPU.date.time.pid.thread.seq.cpuprofile). */
function mainThreadProfile(dir: string, pid: number | undefined): string {
  const file = readdirSync(dir).find(
    (f) => f.endsWith('.cpuprofile') && f.split('.')[3] === String(pid) && f.split('.')[4] === '0',
  )
  if (file === undefined) throw new Error(`no CPU profile of process ${pid} was written in ${dir}`)
  return join(dir, file)
}
