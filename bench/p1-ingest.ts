/**
 * P1 ingest: signed Telegram webhook updates into the built bot at a fixed concurrency, beside a
 * bare node:http server driven by the same client with the same requests.
 */
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { WEBHOOK_SECRET } from './bot.js'
import { allOk, closedLoop, openLoop, rateOf, type LoadResult } from './load.js'
import { summariseProfile, type ProfileSummary } from './profile.js'
import { quantile, type Row } from './report.js'
import { ingest, telegramUpdates } from './telegram-load.js'
import { startCeiling, withBot, type BenchContext } from './world.js'

export interface IngestSizes {
  readonly updates: number
  readonly customers: number
  readonly concurrency: number
  /** How long the open-loop run at half the ceiling's rate lasts, s. */
  readonly halfRateSeconds: number
}

const FIRST_CHAT_ID = 1_000_000
/** Requests the open loop lets wait for an answer at once: a bot that falls behind meets this wall. */
const MAX_IN_FLIGHT = 256

const summary = (r: LoadResult) => ({
  requests: r.latencies.length,
  perSecond: Math.round(rateOf(r)),
  p50Ms: round(quantile(r.latencies, 0.5)),
  p99Ms: round(quantile(r.latencies, 0.99)),
  maxMs: round(quantile(r.latencies, 1)),
  statuses: r.statuses,
})
const round = (n: number) => Math.round(n * 10) / 10

export interface IngestOutcome {
  readonly rows: Row[]
  readonly profile?: ProfileSummary
}

export async function measureIngest(ctx: BenchContext, sizes: IngestSizes): Promise<IngestOutcome> {
  const webhook = '/webhooks/telegram'
  const shots = telegramUpdates(sizes.updates, sizes.customers, FIRST_CHAT_ID)

  ctx.progress(
    `P1: the ceiling (bare node:http), ${sizes.updates} updates at concurrency ${sizes.concurrency}`,
  )
  const ceiling = await startCeiling(resolve(import.meta.dirname, 'ceilings/ingest.ts'), {
    SECRET: WEBHOOK_SECRET,
  })
  let bare: LoadResult
  let bareHalf: LoadResult
  let halfRate: number
  try {
    bare = await closedLoop(`${ceiling.url}${webhook}`, shots, sizes.concurrency)
    halfRate = Math.max(1, Math.round(rateOf(bare) / 2))
    const halfShots = telegramUpdates(
      Math.ceil(halfRate * sizes.halfRateSeconds),
      sizes.customers,
      FIRST_CHAT_ID,
    )
    bareHalf = await openLoop(`${ceiling.url}${webhook}`, halfShots, halfRate, MAX_IN_FLIGHT)
  } finally {
    await ceiling.stop()
  }

  ctx.progress(`P1: threaddesk, the same ${sizes.updates} updates from ${sizes.customers} customers`)
  const { result, problems } = await withBot(
    ctx,
    'p1',
    ctx.profileDir === undefined ? {} : { profileDir: ctx.profileDir },
    async ({ bot }) => {
      const idle = bot.memory().rssMb
      const startMs = bot.readyMs ?? 0
      const sampled: number[] = []
      const timer = setInterval(() => sampled.push(bot.memory().rssMb), 100)
      const ingested = await ingest(bot, shots, sizes.concurrency).finally(() => clearInterval(timer))
      const after = bot.memory()
      ctx.progress(
        `P1: threaddesk at half the ceiling's rate, ${halfRate} req/s for ${sizes.halfRateSeconds} s`,
      )
      const halfShots = telegramUpdates(
        Math.ceil(halfRate * sizes.halfRateSeconds),
        sizes.customers,
        FIRST_CHAT_ID,
        (c, m) => `c${c}-h${m}`,
      )
      const half = await openLoop(`${bot.base}${webhook}`, halfShots, halfRate, MAX_IN_FLIGHT)
      const window = {
        fromMs: ingested.load.startedAt - bot.spawnedAt,
        toMs: ingested.load.endedAt - bot.spawnedAt,
      }
      return {
        pid: bot.process.pid,
        idle,
        startMs,
        ingested,
        peak: Math.max(after.rssMb, ...sampled),
        after: after.rssMb,
        half,
        window,
      }
    },
  )
  const { ingested, half } = result
  const load = ingested.load
  const failed = [load, half].some((r) => !allOk(r))
  const notes = [
    ...(failed
      ? [`not every request was answered 2xx: ${JSON.stringify([load.statuses, half.statuses])}`]
      : []),
    ...(ingested.stored < shots.length ? [`only ${ingested.stored} of ${shots.length} were stored`] : []),
    ...problems,
  ]
  const note = notes.length > 0 ? notes.join('; ') : undefined
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
      ceiling: rateOf(bare),
      target: { of: 'ratio', op: '>=', bound: 0.5 },
      detail: { threaddesk: summary(load), ceiling: summary(bare) },
      ...(note !== undefined && { note }),
    },
    {
      id: 'p1.ingest.p99',
      measure: `P1 ingest p99 at ${sizes.concurrency} at once`,
      unit: 'ms',
      threaddesk: quantile(load.latencies, 0.99),
      ceiling: quantile(bare.latencies, 0.99),
      target: null,
      detail: {
        p50: {
          threaddesk: round(quantile(load.latencies, 0.5)),
          ceiling: round(quantile(bare.latencies, 0.5)),
        },
      },
    },
    {
      id: 'p1.ingest.half-rate-p99',
      measure: `P1 ingest p99 at half the ceiling's rate (${halfRate.toLocaleString('en')} req/s offered)`,
      unit: 'ms',
      threaddesk: quantile(half.latencies, 0.99),
      ceiling: quantile(bareHalf.latencies, 0.99),
      target: { of: 'value', op: '<=', bound: 20 },
      detail: { offeredPerSecond: halfRate, threaddesk: summary(half), ceiling: summary(bareHalf) },
    },
    {
      id: 'p1.ingest.stored',
      measure: 'P1 time until every update is stored with its deliveries',
      unit: 's',
      threaddesk: ingested.storedMs / 1000,
      ceiling: bare.elapsedMs / 1000,
      target: null,
      detail: { stored: ingested.stored, of: shots.length },
    },
    {
      id: 'p1.rss',
      measure: 'P1 RSS: idle (empty database) → peak under ingest',
      unit: 'MB',
      threaddesk: result.peak,
      ceiling: null,
      target: null,
      detail: {
        idleMb: Math.round(result.idle),
        peakMb: Math.round(result.peak),
        afterMb: Math.round(result.after),
      },
      note: `idle ${Math.round(result.idle)} MB, peak ${Math.round(result.peak)} MB, ${Math.round(result.after)} MB after`,
    },
    {
      id: 'p1.start',
      measure: 'P1 start to /readyz (empty database)',
      unit: 's',
      threaddesk: result.startMs / 1000,
      ceiling: null,
      target: null,
    },
  ]
  return { rows, ...(profile !== undefined && { profile }) }
}

/** The profile of the bot's main thread (node names them CPU.date.time.pid.thread.seq.cpuprofile). */
function mainThreadProfile(dir: string, pid: number | undefined): string {
  const file = readdirSync(dir).find(
    (f) => f.endsWith('.cpuprofile') && f.split('.')[3] === String(pid) && f.split('.')[4] === '0',
  )
  if (file === undefined) throw new Error(`no CPU profile of process ${pid} was written in ${dir}`)
  return join(dir, file)
}
