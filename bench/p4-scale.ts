/**
 * P4 scale: the bot over years of history (a seeded database): its cold start, its memory idle and
 * under ingest, and `/tickets` through the real, signed slash command.
 */
import { slashCommandBody, slackSignature } from '../test/helpers/slack-requests.js'
import { AGENT, SUPPORT_CHANNEL } from './bot.js'
import { createClient } from './load.js'
import { quantile, type Row } from './report.js'
import { seedHistory, type Seeded } from './seed.js'
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
] as const

/** A filter with a bare word in it searches subjects. */
const isSearch = (text: string) => text.split(/\s+/).some((w) => w !== '' && !w.includes(':'))

const FIRST_CHAT_ID = 4_000_000
/** Settling after start-up before memory is read "idle". */
const IDLE_AFTER_MS = 2_000

export async function measureScale(ctx: BenchContext, sizes: ScaleSizes): Promise<Row[]> {
  let seeded: Seeded | undefined
  ctx.progress(
    `P4: seeding ${sizes.tickets.toLocaleString('en')} tickets, ${(sizes.tickets * sizes.messagesPerTicket).toLocaleString('en')} messages`,
  )
  const { result, problems } = await withBot(
    ctx,
    'p4',
    {
      deferStart: true,
      seed: async (file) => {
        seeded = await seedHistory(file, {
          tickets: sizes.tickets,
          messagesPerTicket: sizes.messagesPerTicket,
          contacts: Math.max(10, Math.round(sizes.tickets / 5)),
          agents: 50,
          firstAgent: AGENT,
          deskChannel: SUPPORT_CHANNEL,
          now: new Date(),
        })
        ctx.progress(`P4: seeded in ${seeded.seconds.toFixed(1)} s, ${seeded.fileMb.toFixed(0)} MB`)
      },
    },
    async (world, start) => {
      const startMs = await start()
      const bot = world.bot
      await new Promise((resolve) => setTimeout(resolve, IDLE_AFTER_MS))
      const idle = bot.memory().rssMb

      ctx.progress(`P4: /tickets, ${TICKET_FILTERS.length} filters × ${sizes.runs} signed slash commands`)
      const client = createClient(`${bot.base}/slack/events`, 1)
      const filters: { text: string; search: boolean; p50Ms: number; p99Ms: number; lines: number }[] = []
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
          for (let r = 0; r < sizes.runs; r++) {
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
      return { startMs, idle, filters, refused, peak: Math.max(bot.memory().rssMb, ...sampled), ingested }
    },
  )
  const worst = (search: boolean) => {
    const of = result.filters.filter((f) => f.search === search)
    return of.reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a), of[0] ?? { text: '', p99Ms: 0 })
  }
  const filter = worst(false)
  const search = worst(true)
  const scale = `${sizes.tickets.toLocaleString('en')} tickets`
  const note = [...result.refused.slice(0, 3), ...problems]
  const detail = {
    seeded,
    filters: result.filters.map((f) => ({ ...f, p50Ms: round(f.p50Ms), p99Ms: round(f.p99Ms) })),
  }
  return [
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
      detail: {
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
  ]
}

const round = (n: number) => Math.round(n * 10) / 10
