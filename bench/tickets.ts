/**
 * Lists and searches over 1,000,000 tickets: how long /tickets takes with each kind of filter.
 * Run with `npm run bench`. Builds a SQLite file in a temporary folder (about 400 MB) and removes it.
 */
import Sqlite from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { countTickets, listTickets, parseFilter } from '../src/core/ticket-query.js'
import { openDatabase } from '../src/db/connection.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { CHANNEL_MODULES } from '../adapters/index.js'

const CHANNELS = CHANNEL_MODULES.map((m) => m.id)

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000)
const CONTACTS = 20_000
const AGENTS = 50
const RUNS = 25
const now = new Date('2026-11-23T09:00:00Z')

const dir = mkdtempSync(join(tmpdir(), 'threaddesk-bench-'))
const file = join(dir, 'bench.db')

// A cheap deterministic random source, so every run measures the same data.
let seed = 42
const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T

async function seedData(): Promise<void> {
  const db = openDatabase(`file:${file}`)
  await migrateToLatest(db)
  await db.destroy()
  const raw = new Sqlite(file)
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = OFF')
  const t0 = performance.now()
  raw.transaction(() => {
    const agent = raw.prepare("insert into agents (desk_user_id, role, created_at) values (?, 'agent', ?)")
    for (let i = 1; i <= AGENTS; i++) agent.run(`U${String(i).padStart(6, '0')}`, now.toISOString())
    const contact = raw.prepare(
      'insert into contacts (channel, external_id, display_name, created_at, updated_at) values (?, ?, ?, ?, ?)',
    )
    for (let i = 1; i <= CONTACTS; i++)
      contact.run(pick(channels), `c${i}`, `Customer ${i}`, now.toISOString(), now.toISOString())
    const ticket = raw.prepare(
      'insert into tickets (contact_id, channel, status, priority, type, assignee_id, subject, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    const tag = raw.prepare('insert into ticket_tags (ticket_id, tag) values (?, ?)')
    for (let i = 1; i <= TICKETS; i++) {
      // Two years of history: most tickets are long closed, a few thousand still need work.
      const created = new Date(
        now.getTime() - Math.floor((1 - i / TICKETS) * 730 * 86_400_000) - Math.floor(rand() * 3_600_000),
      )
      const recent = i > TICKETS - 20_000
      const status = recent
        ? pick(['new', 'open', 'open', 'pending', 'on_hold', 'solved', 'closed'])
        : pick(['closed', 'closed', 'closed', 'solved'])
      const assignee = rand() < 0.15 ? null : 1 + Math.floor(rand() * AGENTS)
      const subject = `${pick(words)} ${pick(words)} ${pick(words)} ${pick(words)}`
      const at = created.toISOString()
      ticket.run(
        1 + Math.floor(rand() * CONTACTS),
        pick(channels),
        status,
        pick(priorities),
        pick(types),
        assignee,
        subject,
        at,
        at,
      )
      if (rand() < 0.1) tag.run(i, pick(tags))
    }
  })()
  raw.close()
  console.log(
    `seeded ${TICKETS.toLocaleString('en')} tickets in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  )
}

const channels = ['telegram', 'whatsapp', 'whatsapp_cloud', 'instagram', 'discord'] as const
const priorities = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'] as const
const types = ['incident', 'problem', 'question', 'task'] as const
const tags = [
  'vip',
  'refund',
  'bug',
  'ios',
  'android',
  'billing',
  'shipping',
  'b2b',
  'churn-risk',
  'feedback',
] as const
const words = [
  'order',
  'refund',
  'login',
  'crash',
  'delivery',
  'invoice',
  'password',
  'payment',
  'account',
  'broken',
  'late',
  'missing',
  'charge',
  'app',
  'card',
  'address',
]

const cases = [
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
]

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return { p50: at(0.5), p95: at(0.95) }
}

async function main(): Promise<void> {
  await seedData()
  const db = openDatabase(`file:${file}`)
  console.log(`\n/tickets over ${TICKETS.toLocaleString('en')} tickets, ${RUNS} runs each (milliseconds)`)
  console.log(
    'filter'.padEnd(38),
    'list p50'.padStart(9),
    'list p95'.padStart(9),
    'count p50'.padStart(10),
    'rows'.padStart(8),
  )
  for (const text of cases) {
    const filter = parseFilter(text, 'U000001', CHANNELS)
    const list: number[] = []
    const count: number[] = []
    let rows = 0
    for (let r = 0; r < RUNS; r++) {
      let t = performance.now()
      await listTickets(db, filter, now)
      list.push(performance.now() - t)
      if (r < 5) {
        t = performance.now()
        rows = await countTickets(db, filter, now)
        count.push(performance.now() - t)
      }
    }
    const l = stats(list)
    const c = stats(count)
    console.log(
      (text === '' ? '(default: needs work)' : text).padEnd(38),
      l.p50.toFixed(2).padStart(9),
      l.p95.toFixed(2).padStart(9),
      c.p50.toFixed(1).padStart(10),
      String(rows).padStart(8),
    )
  }
  const mb = process.memoryUsage().rss / 1024 / 1024
  console.log(`\nresident memory: ${mb.toFixed(0)} MB`)
  await db.destroy()
}

try {
  await main()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
