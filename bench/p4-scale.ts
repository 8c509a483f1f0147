/**
 * P4 scale: the bot over years of history (a seeded database): its cold start, its memory idle and
 * under ingest, and `/tickets` through the real, signed slash command. With a PostgreSQL server
 * (TEST_DATABASE_URL), `/tickets` again on a copy of the same rows there, beside SQLite's figures.
 */
import { slashCommandBody, slackSignature } from '../test/helpers/slack-requests.js'
import { AGENT, SUPPORT_CHANNEL, type RunningBot } from './bot.js'
import { createClient } from './load.js'
import { askReports } from './p4-reports.js'
import {
  benchSchema,
  benchServer,
  copyToPostgres,
  NOT_RUN,
  type BenchSchema,
  type Copied,
} from './postgres.js'
import { quantile, type Row } from './report.js'
import { RARE_WORD, seedHistory, type Seeded } from './seed.js'
import { ingest, telegramUpdates } from './telegram-load.js'
import { withBot, type BenchContext } from './world.js'

export interface ScaleSizes {
  readonly tickets: number
  readonly messagesPerTicket: number
  /** Requests per `/tickets` filter. */
  readonly runs: number
  /** Webhook updates of the ingest load under which memory is read. */
  readonly loadUpdates: number
  readonly concurrency: number
  /** No update of that load leaves after this many seconds. */
  readonly budgetSeconds: number
}

/** What agents type after `/tickets`: the default list, filters, and free-text search. */
export const TICKET_FILTERS = [
  '',
  'assignee:me',
  'assignee:none',
  'status:pending',
  'channel:instagram priority:urgent',
  'tag:vip',
  'type:incident age:>2d',
  'status:closed channel:discord',
  'status:all tag:refund',
  'refund',
  'status:all invoice late',
  // On one ticket in a thousand: newest first, the search has to skip most of history to find them.
  `status:all ${RARE_WORD}`,
  // On none: every ticket has to be ruled out.
  'status:all voucher',
] as const

/** A filter with a bare word in it searches subjects. */
const isSearch = (text: string) => text.split(/\s+/).some((w) => w !== '' && !w.includes(':'))

/** Seeded agents: the first a supervisor, the others agents whose App Home is opened. */
const AGENTS = 50
const FIRST_CHAT_ID = 4_000_000
/** Settling after start-up before memory is read "idle". */
const IDLE_AFTER_MS = 2_000

interface FilterTimes {
  readonly text: string
  readonly search: boolean
  readonly p50Ms: number
  readonly p99Ms: number
  readonly lines: number
}

/** Every filter of TICKET_FILTERS, `runs` times each, as signed `/tickets` slash commands. */
async function askFilters(
  bot: RunningBot,
  runs: number,
): Promise<{ filters: FilterTimes[]; refused: string[] }> {
  const client = createClient(`${bot.base}/slack/events`, 1)
  const filters: FilterTimes[] = []
  const refused: string[] = []
  const ask = (text: string) => {
    const body = slashCommandBody('/tickets', text, AGENT)
    const timestamp = Math.floor(Date.now() / 1000)
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(body, timestamp),
    }
    return client.post({ body, headers })
  }
  try {
    // Once untimed: the first list asks Slack for the workspace's address, once per process.
    await ask('')
    for (const text of TICKET_FILTERS) {
      const latencies: number[] = []
      let lines = 0
      for (let r = 0; r < runs; r++) {
        const t = performance.now()
        const answer = await ask(text)
        latencies.push(performance.now() - t)
        if (answer.status !== 200) refused.push(`${text}: HTTP ${answer.status}`)
        lines = (JSON.parse(answer.body || '{}') as { text?: string }).text?.split('\n').length ?? 0
      }
      filters.push({
        text,
        search: isSearch(text),
        p50Ms: quantile(latencies, 0.5),
        p99Ms: quantile(latencies, 0.99),
        lines,
      })
    }
  } finally {
    client.close()
  }
  return { filters, refused }
}

/** The slowest filter, of those that search or of those that do not. */
function slowest(filters: readonly FilterTimes[], search: boolean): { text: string; p99Ms: number } {
  const of = filters.filter((f) => f.search === search)
  return of.reduce<{ text: string; p99Ms: number }>(
    (a, b) => (b.p99Ms > a.p99Ms ? b : a),
    of[0] ?? { text: '', p99Ms: 0 },
  )
}

const asCommand = (text: string) => (text === '' ? '`/tickets` (the default list)' : `\`/tickets ${text}\``)

export async function measureScale(ctx: BenchContext, sizes: ScaleSizes): Promise<Row[]> {
  let seeded: Seeded | undefined
  const server = benchServer()
  let postgres: BenchSchema | undefined
  let copied: Copied | undefined
  ctx.progress(
    `P4: seeding ${sizes.tickets.toLocaleString('en')} tickets, ${(sizes.tickets * sizes.messagesPerTicket).toLocaleString('en')} messages`,
  )
  const { result, problems } = await withBot(
    ctx,
    'p4',
    {
      deferStart: true,
      // Business hours: reports and SLA clocks count working time, their dearest case.
      env: { TZ: 'Europe/Berlin', BUSINESS_HOURS: 'Mon-Fri 09:00-17:00' },
      seed: async (file) => {
        seeded = await seedHistory(file, {
          tickets: sizes.tickets,
          messagesPerTicket: sizes.messagesPerTicket,
          contacts: Math.max(10, Math.round(sizes.tickets / 5)),
          agents: AGENTS,
          firstAgent: AGENT,
          deskChannel: SUPPORT_CHANNEL,
          now: new Date(),
        })
        ctx.progress(`P4: seeded in ${seeded.seconds.toFixed(1)} s, ${seeded.fileMb.toFixed(0)} MB`)
        if (server === undefined) return
        postgres = await benchSchema(server, 'p4')
        copied = await copyToPostgres(file, postgres.url)
        ctx.progress(
          `P4: copied to PostgreSQL in ${copied.seconds.toFixed(1)} s (${copied.rows.toLocaleString('en')} rows)`,
        )
      },
    },
    async (world, start) => {
      const startMs = await start()
      const bot = world.bot
      await new Promise((resolve) => setTimeout(resolve, IDLE_AFTER_MS))
      const idle = bot.memory().rssMb

      ctx.progress(`P4: /tickets, ${TICKET_FILTERS.length} filters × ${sizes.runs} signed slash commands`)
      const { filters, refused } = await askFilters(bot, sizes.runs)

      ctx.progress(`P4: memory under ingest, ${sizes.loadUpdates} updates`)
      const sampled: number[] = []
      const timer = setInterval(() => sampled.push(bot.memory().rssMb), 100)
      const shots = telegramUpdates(
        sizes.loadUpdates,
        Math.max(1, Math.round(sizes.loadUpdates / 10)),
        FIRST_CHAT_ID,
      )
      const ingested = await ingest(bot, shots, sizes.concurrency, sizes.budgetSeconds * 1000).finally(() =>
        clearInterval(timer),
      )
      const peak = Math.max(bot.memory().rssMb, ...sampled)

      // After the ingest, so that its memory is the process's own, not what drawing charts left.
      ctx.progress(`P4: /report 30d and App Home of busy agents, ${sizes.runs} each`)
      const reports = await askReports(bot, world.slack, sizes.runs, AGENTS)
      return {
        startMs,
        idle,
        filters,
        refused: [...refused, ...reports.refused],
        reports,
        peak,
        afterReports: bot.memory().rssMb,
        ingested,
      }
    },
  )
  const onPostgres = postgres === undefined ? undefined : await measurePostgres(ctx, postgres, sizes.runs)
  const filter = slowest(result.filters, false)
  const search = slowest(result.filters, true)
  const scale = `${sizes.tickets.toLocaleString('en')} tickets`
  const note = [...result.refused.slice(0, 3), ...problems]
  const detail = {
    seeded,
    filters: result.filters.map((f) => ({ ...f, p50Ms: round(f.p50Ms), p99Ms: round(f.p99Ms) })),
  }
  const sqliteRows: Row[] = [
    {
      id: 'p4.start',
      measure: `P4 cold start to /readyz, ${scale}`,
      unit: 's',
      threaddesk: result.startMs / 1000,
      ceiling: null,
      target: { of: 'value', op: '<=', bound: 2 },
      ...(note.length > 0 && { note: note.join('; ') }),
    },
    {
      id: 'p4.rss.idle',
      measure: `P4 RSS idle, ${scale}`,
      unit: 'MB',
      threaddesk: result.idle,
      ceiling: null,
      target: { of: 'value', op: '<=', bound: 150 },
    },
    {
      id: 'p4.rss.load',
      measure: `P4 RSS peak under ingest (${sizes.loadUpdates.toLocaleString('en')} updates), ${scale}`,
      unit: 'MB',
      threaddesk: result.peak,
      ceiling: null,
      target: { of: 'value', op: '<=', bound: 150 },
      note: `${result.afterReports} MB after the ${sizes.runs} reports (charts and CSV) and App Homes that follow the ingest`,
      detail: {
        afterReportsMb: result.afterReports,
        ingestPerSecond: Math.round(
          (result.ingested.load.latencies.length / result.ingested.load.elapsedMs) * 1000,
        ),
      },
    },
    {
      id: 'p4.tickets.filter',
      measure: `P4 /tickets filter p99, slowest of ${result.filters.filter((f) => !f.search).length}, ${scale}`,
      unit: 'ms',
      threaddesk: filter.p99Ms,
      ceiling: null,
      target: { of: 'value', op: '<=', bound: 50 },
      detail,
      note: `slowest: \`/tickets${filter.text === '' ? '` (the default list)' : ` ${filter.text}\``}`,
    },
    {
      id: 'p4.tickets.search',
      measure: `P4 /tickets free-text search p99, slowest of ${result.filters.filter((f) => f.search).length}, ${scale}`,
      unit: 'ms',
      threaddesk: search.p99Ms,
      ceiling: null,
      target: { of: 'value', op: '<=', bound: 50 },
      note: `slowest: \`/tickets ${search.text}\``,
    },
    {
      id: 'p4.report.30d',
      measure: `P4 /report 30d csv: asked to answered with the figures, p99, ${scale}`,
      unit: 'ms',
      threaddesk: result.reports.report.p99Ms,
      ceiling: null,
      target: { of: 'value', op: '<=', bound: 1000 },
      detail: { p50Ms: round(result.reports.report.p50Ms), lines: result.reports.report.lines },
    },
    {
      id: 'p4.report.files',
      measure: `P4 /report 30d csv: asked to its 3 charts and CSV posted in Slack, p99, ${scale}`,
      unit: 'ms',
      threaddesk: result.reports.files.p99Ms,
      ceiling: null,
      target: null,
      detail: { p50Ms: round(result.reports.files.p50Ms), missing: result.reports.files.missing },
    },
    {
      id: 'p4.home.agent',
      measure: `P4 App Home of a busy agent, opened to published, p99, ${scale}`,
      unit: 'ms',
      threaddesk: result.reports.home.p99Ms,
      ceiling: null,
      target: { of: 'value', op: '<=', bound: 1000 },
      detail: { p50Ms: round(result.reports.home.p50Ms), published: result.reports.home.published },
    },
    {
      id: 'p4.home.supervisor',
      measure: `P4 App Home of a supervisor (team queue, every clock), opened once, ${scale}`,
      unit: 'ms',
      threaddesk: result.reports.supervisorMs,
      ceiling: null,
      target: { of: 'value', op: '<=', bound: 1000 },
    },
  ]
  return [...sqliteRows, ...postgresRows(scale, result.filters, onPostgres, copied)]
}

/** `/tickets` on the PostgreSQL copy: the bot started on it, every filter asked again. */
async function measurePostgres(
  ctx: BenchContext,
  schema: BenchSchema,
  runs: number,
): Promise<{ filters: FilterTimes[]; refused: string[]; problems: string[] }> {
  try {
    ctx.progress(`P4: /tickets on PostgreSQL, ${TICKET_FILTERS.length} filters × ${runs}`)
    const { result, problems } = await withBot(ctx, 'p4-pg', { env: { DATABASE_URL: schema.url } }, (world) =>
      askFilters(world.bot, runs),
    )
    return { ...result, problems }
  } finally {
    if (ctx.keep) ctx.progress(`  kept PostgreSQL schema ${schema.url}`)
    else await schema.drop()
  }
}

/**
 * The same `/tickets` on PostgreSQL, each beside SQLite's figure as its ceiling: search through
 * pg_trgm against FTS5. "not run" without a server.
 */
function postgresRows(
  scale: string,
  sqlite: readonly FilterTimes[],
  pg: { filters: FilterTimes[]; refused: string[]; problems: string[] } | undefined,
  copied: Copied | undefined,
): Row[] {
  const count = (search: boolean) => sqlite.filter((f) => f.search === search).length
  const rows = (search: boolean) => {
    const worst = pg === undefined ? undefined : slowest(pg.filters, search)
    const ceiling = slowest(sqlite, search)
    const id = search ? 'p4.pg.tickets.search' : 'p4.pg.tickets.filter'
    const measure = search
      ? `P4 /tickets search p99 on PostgreSQL (pg_trgm; ceiling: SQLite FTS5), slowest of ${count(true)}, ${scale}`
      : `P4 /tickets filter p99 on PostgreSQL (ceiling: SQLite), slowest of ${count(false)}, ${scale}`
    const note =
      pg === undefined || worst === undefined
        ? NOT_RUN
        : [
            `slowest: ${asCommand(worst.text)}; on SQLite: ${asCommand(ceiling.text)}`,
            ...pg.refused.slice(0, 3),
            ...pg.problems,
          ].join('; ')
    const row: Row = {
      id,
      measure,
      unit: 'ms',
      threaddesk: worst?.p99Ms ?? null,
      ceiling: ceiling.p99Ms,
      target: { of: 'ratio', op: '<=', bound: 1 },
      note,
      ...(search &&
        pg !== undefined && {
          detail: {
            copied,
            filters: pg.filters.map((f) => ({ ...f, p50Ms: round(f.p50Ms), p99Ms: round(f.p99Ms) })),
          },
        }),
    }
    return row
  }
  return [rows(false), rows(true)]
}

const round = (n: number) => Math.round(n * 10) / 10
