/**
 * P2 store: what storing one customer message costs in the core's receive path (in-process, a file
 * database, the app wired as in production), against raw better-sqlite3 writing the same rows.
 *
 * "The same rows" is taken from the product itself: a second run of the same messages goes through
 * a connection that records every statement, and the raw writer replays exactly the writes recorded
 * for each message (same SQL, same values, so the same rows and index entries), each statement
 * prepared once, one transaction per message, over a copy of the database as it was before them,
 * with the pragmas read back from the product's own connection. It reads nothing: the rows it
 * needs are known.
 */
import Sqlite from 'better-sqlite3'
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Kysely, sql } from 'kysely'
import { loadConfig } from '../src/config.js'
import { createThreaddesk, type Threaddesk } from '../src/app.js'
import type { Logger } from '../src/core/logger.js'
import type { InboundMessage } from '../src/core/ports.js'
import type { Db } from '../src/db/connection.js'
import type { Database } from '../src/db/schema.js'
import { SqliteDialect } from '../src/db/sqlite-dialect.js'
import { SIGNING_SECRET } from '../test/helpers/slack-requests.js'
import { startFakeSlack } from '../test/fakes/slack-api.js'
import { startFakeTelegram } from '../test/fakes/telegram-api.js'
import { AGENT, SUPPORT_CHANNEL, TELEGRAM_TOKEN, WEBHOOK_SECRET } from './bot.js'
import { mean, quantile, type Row } from './report.js'
import { inTempDir, type BenchContext } from './world.js'

export interface StoreSizes {
  /** Messages timed per case (new ticket, existing ticket). */
  readonly messages: number
  /** Messages run first and not timed, so both sides are measured warm. */
  readonly warmup: number
}

/** The pragmas that decide what a write costs. */
const PRAGMAS = ['journal_mode', 'synchronous', 'foreign_keys', 'busy_timeout', 'temp_store'] as const

interface Statement {
  readonly sql: string
  readonly params: readonly unknown[]
  readonly write: boolean
  readonly changes: number
}

/** A better-sqlite3 connection whose statements say what they ran. */
function recording(db: Sqlite.Database, log: Statement[]): Sqlite.Database {
  const prepare = db.prepare.bind(db)
  const wrapped = (source: string) => {
    const statement = prepare(source)
    const write = !/^\s*(select|pragma|begin|commit|rollback|savepoint|release)\b/i.test(source)
    const control = /^\s*(begin|commit|rollback|savepoint|release)\b/i.test(source)
    const note = (params: unknown[], changes: number) => {
      if (!control) log.push({ sql: source, params: [...params], write, changes })
    }
    return {
      get reader() {
        return statement.reader
      },
      all(params: unknown[]) {
        const rows = statement.all(params)
        note(params, write ? rows.length : 0)
        return rows
      },
      run(params: unknown[]) {
        const result = statement.run(params)
        note(params, result.changes)
        return result
      },
      iterate(params: unknown[]) {
        note(params, 0)
        return statement.iterate(params)
      },
    }
  }
  db.prepare = wrapped as unknown as typeof db.prepare
  return db
}

function inbound(customer: number, message: number): InboundMessage {
  const chat = 5_000_000 + customer
  return {
    channel: 'telegram',
    externalId: `${chat}:${message}`,
    contact: { externalId: String(chat), displayName: `Customer ${customer}`, language: 'en' },
    kind: 'text',
    text: `c${customer}-m${message}: where is my order? It was due on Monday.`,
    sentAt: new Date(),
  }
}

interface Case {
  readonly name: 'new' | 'existing'
  /** The messages of the case, warm-up first. */
  readonly messages: readonly InboundMessage[]
}

function cases(sizes: StoreSizes): Case[] {
  const n = sizes.warmup + sizes.messages
  const customers = Array.from({ length: n }, (_, i) => i)
  return [
    { name: 'new', messages: customers.map((c) => inbound(c, 1)) },
    { name: 'existing', messages: customers.map((c) => inbound(c, 2)) },
  ]
}

async function createApp(
  dir: string,
  log: Logger,
  db: Db | undefined,
): Promise<{ app: Threaddesk; stop(): Promise<void> }> {
  const slack = await startFakeSlack()
  const telegram = await startFakeTelegram(TELEGRAM_TOKEN)
  const config = loadConfig({
    DATABASE_URL: `file:${join(dir, 'product.db')}`,
    PORT: '0',
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_SUPPORT_CHANNEL: SUPPORT_CHANNEL,
    SLACK_API_URL: slack.apiUrl,
    SLACK_SUPERVISORS: AGENT,
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_API_ROOT: telegram.url,
    PUBLIC_URL: 'https://desk.example.com',
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    REPLY_DELAY_S: '0',
    DIGEST_TIME: 'off',
  })
  // Wired as in production; nothing started: no server, no outbox, no scheduler.
  const app = await createThreaddesk(config, {
    log,
    runOutbox: false,
    runScheduler: false,
    ...(db !== undefined && { db }),
  })
  return {
    app,
    async stop() {
      await app.db.destroy()
      await slack.close()
      await telegram.close()
    },
  }
}

/** Microseconds per message, warm-up left out. */
function timings(samples: readonly number[], warmup: number) {
  const timed = samples.slice(warmup)
  return { meanUs: mean(timed), p50Us: quantile(timed, 0.5), p99Us: quantile(timed, 0.99) }
}

/** What the product wrote per message, on average: statements by kind, rows by table. */
function census(perMessage: readonly (readonly Statement[])[]) {
  const n = Math.max(1, perMessage.length)
  const all = perMessage.flat()
  const tableOf = (s: string) =>
    /^\s*(?:insert\s+into|update|delete\s+from)\s+"?(\w+)"?/i.exec(s)?.[1] ?? 'other'
  const rows: Record<string, number> = {}
  for (const s of all.filter((x) => x.write))
    rows[tableOf(s.sql)] = (rows[tableOf(s.sql)] ?? 0) + s.changes / n
  return {
    statements: all.length / n,
    reads: all.filter((s) => !s.write).length / n,
    writes: all.filter((s) => s.write).length / n,
    rowsWritten: Object.fromEntries(Object.entries(rows).map(([t, v]) => [t, Number(v.toFixed(2))])),
  }
}

export async function measureStore(ctx: BenchContext, log: Logger, sizes: StoreSizes): Promise<Row[]> {
  return inTempDir(ctx, 'p2', async (dir) => {
    const plan = cases(sizes)
    const product = await createApp(dir, log, undefined)
    try {
      const pragmas: Record<string, unknown> = {}
      for (const pragma of PRAGMAS) {
        const { rows } = await sql<Record<string, unknown>>`${sql.raw(`pragma ${pragma}`)}`.execute(
          product.app.db,
        )
        pragmas[pragma] = Object.values(rows[0] ?? {})[0]
      }

      ctx.progress(`P2: ${plan.length} × ${sizes.warmup + sizes.messages} messages, every statement recorded`)
      const rawFile = join(dir, 'raw.db')
      const perMessage = await record(dir, log, pragmas, plan, rawFile)

      ctx.progress(
        `P2: the core's receive path and raw better-sqlite3 writing the same rows, in turn, ${sizes.messages} messages per case (+${sizes.warmup} warm-up)`,
      )
      const raw = withPragmas(new Sqlite(rawFile), pragmas)
      const productUs: Record<string, number[]> = {}
      const rawUs: Record<string, number[]> = {}
      try {
        const replay = replayer(raw)
        for (const c of plan) {
          const mine: number[] = (productUs[c.name] = [])
          const bare: number[] = (rawUs[c.name] = [])
          const recorded = perMessage[c.name] ?? []
          for (const [i, msg] of c.messages.entries()) {
            // In turn, message by message: whatever else the machine does weighs on both alike.
            let t = performance.now()
            await product.app.helpdesk.receive(msg)
            mine.push((performance.now() - t) * 1000)
            const write = replay(recorded[i] ?? [])
            t = performance.now()
            write()
            bare.push((performance.now() - t) * 1000)
          }
        }
      } finally {
        raw.close()
      }
      return plan.map((c) => rowOf(c, sizes, productUs, rawUs, perMessage, pragmas))
    } finally {
      await product.stop()
    }
  })
}

/**
 * Runs the messages through an app whose connection records every statement, over a database copied
 * to `rawFile` just before them. Resolves with the statements of each message, by case.
 */
async function record(
  dir: string,
  log: Logger,
  pragmas: Record<string, unknown>,
  plan: readonly Case[],
  rawFile: string,
): Promise<Record<string, Statement[][]>> {
  const statements: Statement[] = []
  const recordFile = join(dir, 'recorded.db')
  const recorded = recording(withPragmas(new Sqlite(recordFile), pragmas), statements)
  const app = await createApp(dir, log, new Kysely<Database>({ dialect: new SqliteDialect(recorded) }))
  const perMessage: Record<string, Statement[][]> = {}
  try {
    recorded.pragma('wal_checkpoint(TRUNCATE)')
    copyFileSync(recordFile, rawFile)
    for (const c of plan) {
      const of: Statement[][] = (perMessage[c.name] = [])
      for (const msg of c.messages) {
        const from = statements.length
        await app.app.helpdesk.receive(msg)
        of.push(statements.slice(from))
      }
    }
  } finally {
    await app.stop()
  }
  return perMessage
}

/** The raw writer: a message's recorded writes, each statement prepared once, in one transaction. */
function replayer(raw: Sqlite.Database): (statements: readonly Statement[]) => () => void {
  const prepared = new Map<string, Sqlite.Statement>()
  const prepare = (source: string) => {
    let statement = prepared.get(source)
    if (statement === undefined) prepared.set(source, (statement = raw.prepare(source)))
    return statement
  }
  return (statements) => {
    const writes = statements.filter((s) => s.write).map((s) => [prepare(s.sql), s.params] as const)
    const write = raw.transaction(() => {
      for (const [statement, params] of writes) statement.run(params)
    })
    return () => write.immediate()
  }
}

function rowOf(
  c: Case,
  sizes: StoreSizes,
  productUs: Record<string, number[]>,
  rawUs: Record<string, number[]>,
  perMessage: Record<string, Statement[][]>,
  pragmas: Record<string, unknown>,
): Row {
  const mine = timings(productUs[c.name] ?? [], sizes.warmup)
  const bare = timings(rawUs[c.name] ?? [], sizes.warmup)
  const made = census((perMessage[c.name] ?? []).slice(sizes.warmup))
  const rows = Object.entries(made.rowsWritten)
    .map(([t, n]) => `${fmt(n)} ${t}`)
    .join(', ')
  return {
    id: `p2.store.${c.name}`,
    measure: `P2 store cost per message (median), ${c.name === 'new' ? 'new ticket' : 'existing ticket'}`,
    unit: 'µs',
    // The median: on a shared machine, a preempted message adds milliseconds to both sides alike and
    // the means drift towards each other. Means and p99s are in the detail.
    threaddesk: mine.p50Us,
    ceiling: bare.p50Us,
    target: { of: 'ratio', op: '<=', bound: 2 },
    detail: { threaddesk: mine, raw: bare, product: made, pragmas, messages: sizes.messages },
    note: `${fmt(made.statements)} statements (${fmt(made.reads)} reads, ${fmt(made.writes)} writes) writing ${rows}; raw replays the writes`,
  }
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1))

function withPragmas(db: Sqlite.Database, pragmas: Record<string, unknown>): Sqlite.Database {
  for (const [name, value] of Object.entries(pragmas)) db.pragma(`${name} = ${String(value)}`)
  return db
}
