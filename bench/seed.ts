/**
 * Databases for the bench, written row by row with raw SQLite after the product's own migrations:
 * years of history for the scale measure, open tickets with Slack threads for the replies measure.
 * Bench only: nothing here is built into dist/.
 */
import Sqlite from 'better-sqlite3'
import { statSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { openDatabase } from '../src/db/connection.js'
import { migrateToLatest } from '../src/db/migrate.js'

/** A cheap deterministic random source, so every run measures the same data. */
export function seededRandom(seed = 42) {
  let state = seed
  const rand = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
  return {
    rand,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T,
  }
}

async function migrated(file: string): Promise<Sqlite.Database> {
  const db = openDatabase(`file:${file}`)
  await migrateToLatest(db)
  await db.destroy()
  const raw = new Sqlite(file)
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = OFF')
  return raw
}

/** Leaves no write-ahead log behind: the bot's start is not charged for folding one in. */
function finish(raw: Sqlite.Database): void {
  raw.pragma('wal_checkpoint(TRUNCATE)')
  raw.close()
}

export const CHANNELS = ['telegram', 'whatsapp', 'whatsapp_cloud', 'instagram', 'discord'] as const
const PRIORITIES = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'] as const
const TYPES = ['incident', 'problem', 'question', 'task'] as const
const TAGS = [
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
const WORDS = [
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

/** A word in one subject of a thousand, which no other subject has: what a rare search finds. */
export const RARE_WORD = 'chargeback'

export interface HistoryOptions {
  readonly tickets: number
  readonly messagesPerTicket: number
  readonly contacts: number
  readonly agents: number
  /** The Slack user id of agent 1 (the others are U000002…): whoever asks `/tickets assignee:me`. */
  readonly firstAgent: string
  /** Slack channel of every ticket's thread. */
  readonly deskChannel: string
  readonly now: Date
}

export interface Seeded {
  readonly tickets: number
  readonly messages: number
  readonly seconds: number
  readonly fileMb: number
}

/**
 * Two years of a busy desk: most tickets long closed, the last 20,000 still being worked; each with
 * its thread, its messages (customer and agent in turn), the platform ids that dedupe them, the
 * outbox rows that delivered them and the audit events of its life.
 */
export async function seedHistory(file: string, opts: HistoryOptions): Promise<Seeded> {
  const raw = await migrated(file)
  const { rand, pick } = seededRandom()
  const t0 = performance.now()
  const nowMs = opts.now.getTime()
  const at = (ms: number) => new Date(ms).toISOString()
  let messages = 0
  raw.transaction(() => {
    const agent = raw.prepare(
      'insert into agents (desk_user_id, role, created_at, on_shift) values (?, ?, ?, 1)',
    )
    agent.run(opts.firstAgent, 'supervisor', at(nowMs))
    for (let i = 2; i <= opts.agents; i++) agent.run(`U${String(i).padStart(6, '0')}`, 'agent', at(nowMs))
    const contact = raw.prepare(
      'insert into contacts (channel, external_id, display_name, language, created_at, updated_at) values (?, ?, ?, ?, ?, ?)',
    )
    const contactChannel: string[] = []
    for (let i = 1; i <= opts.contacts; i++) {
      const channel = pick(CHANNELS)
      contactChannel.push(channel)
      contact.run(channel, `c${i}`, `Customer ${i}`, 'en', at(nowMs), at(nowMs))
    }
    const ticket = raw.prepare(
      `insert into tickets (contact_id, channel, status, priority, type, assignee_id, subject, thread_channel,
        thread_ts, created_at, updated_at, first_response_at, last_customer_message_at, solved_at, closed_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    const tag = raw.prepare('insert into ticket_tags (ticket_id, tag) values (?, ?)')
    const message = raw.prepare(
      'insert into messages (ticket_id, direction, kind, text, agent_id, external_id, desk_ts, created_at, delivered_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    const processed = raw.prepare(
      'insert into processed_events (channel, external_id, created_at) values (?, ?, ?)',
    )
    const delivery = raw.prepare(
      `insert into deliveries (ticket_id, lane, kind, payload, status, attempts, next_attempt_at, created_at, done_at)
       values (?, ?, ?, ?, 'sent', 1, ?, ?, ?)`,
    )
    const event = raw.prepare(
      'insert into events (ticket_id, actor_type, agent_id, action, from_value, to_value, created_at) values (?, ?, ?, ?, ?, ?, ?)',
    )
    for (let i = 1; i <= opts.tickets; i++) {
      // Two years of history: most tickets are long closed, the last 20,000 still being worked.
      const created =
        nowMs - Math.floor((1 - i / opts.tickets) * 730 * 86_400_000) - Math.floor(rand() * 3_600_000)
      const recent = i > opts.tickets - 20_000
      const status = recent
        ? pick(['new', 'open', 'open', 'pending', 'on_hold', 'solved', 'closed'])
        : 'closed'
      const working = status !== 'solved' && status !== 'closed'
      const assignee = status === 'new' || rand() < 0.15 ? null : 1 + Math.floor(rand() * opts.agents)
      const answered = status === 'new' ? null : at(Math.min(nowMs, created + 600_000))
      // As if the automations had always run: it entered its status lately enough that nothing is
      // due (a pending reminder after 3 days, closing a solved ticket after 4), older ones are closed.
      const since =
        status === 'closed'
          ? created + 86_400_000
          : Math.min(nowMs, Math.max(created + 600_000, nowMs - Math.floor(rand() * 2 * 86_400_000)))
      const solvedAt = status === 'solved' || status === 'closed' ? at(since) : null
      const contactId = 1 + Math.floor(rand() * opts.contacts)
      const channel = contactChannel[contactId - 1] ?? 'telegram'
      // The rare word by number, not by chance: every other figure of the data stays as it was.
      const rare = i % 1000 === 7 ? ` ${RARE_WORD}` : ''
      const subject = `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}${rare}`
      const id = Number(
        ticket.run(
          contactId,
          channel,
          status,
          pick(PRIORITIES),
          pick(TYPES),
          assignee,
          subject,
          opts.deskChannel,
          `1700000000.${String(i).padStart(7, '0')}`,
          at(created),
          at(Math.max(created, since)),
          answered,
          at(created),
          solvedAt,
          status === 'closed' ? solvedAt : null,
        ).lastInsertRowid,
      )
      if (rand() < 0.1) tag.run(id, pick(TAGS))
      event.run(id, 'customer', null, 'created', null, 'new', at(created))
      delivery.run(id, 'desk', 'desk.open', '{"type":"desk.open"}', at(created), at(created), at(created))
      if (status !== 'new') event.run(id, 'agent', assignee, 'status', 'open', status, at(since))
      if (working) {
        // Its SLA alerts were said when they fell due (the job says each once, keyed by clock and start).
        const clocks = answered === null ? ['first_response', 'resolution'] : ['resolution']
        for (const clock of clocks)
          for (const level of ['sla_warning', 'sla_breach'])
            event.run(id, 'system', null, level, null, `${clock}@${at(created)}`, at(since))
      }
      for (let m = 0; m < opts.messagesPerTicket; m++) {
        const inbound = m % 2 === 0 || assignee === null
        const written = created + m * 300_000
        const text = `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`
        const externalId = inbound ? `m${i}-${m}` : `s${i}-${m}`
        const messageId = Number(
          message.run(
            id,
            inbound ? 'inbound' : 'outbound',
            'text',
            text,
            inbound ? null : assignee,
            externalId,
            `1700000001.${String(messages).padStart(8, '0')}`,
            at(written),
            inbound ? null : at(written + 1_000),
          ).lastInsertRowid,
        )
        messages++
        if (inbound) processed.run(channel, externalId, at(written))
        const kind = inbound ? 'desk.entry' : 'customer.message'
        delivery.run(
          id,
          inbound ? 'desk' : 'customer',
          kind,
          JSON.stringify({ type: kind, messageId }),
          at(written),
          at(written),
          at(written + 1_000),
        )
      }
    }
  })()
  finish(raw)
  return {
    tickets: opts.tickets,
    messages,
    seconds: (performance.now() - t0) / 1000,
    fileMb: statSync(file).size / 1024 / 1024,
  }
}

/** A new ticket of one Telegram customer whose root message already stands in Slack. */
export interface SeededThread {
  readonly ticketId: number
  readonly chatId: number
  readonly threadTs: string
}

/** `count` new Telegram tickets, each with its customer's first message and its thread in Slack. */
export async function seedThreads(
  file: string,
  opts: { readonly count: number; readonly deskChannel: string; readonly firstChatId: number },
): Promise<SeededThread[]> {
  const raw = await migrated(file)
  const now = new Date().toISOString()
  const threads: SeededThread[] = []
  raw.transaction(() => {
    const contact = raw.prepare(
      "insert into contacts (channel, external_id, display_name, language, created_at, updated_at) values ('telegram', ?, ?, 'en', ?, ?)",
    )
    const ticket = raw.prepare(
      `insert into tickets (contact_id, channel, status, subject, thread_channel, thread_ts, created_at, updated_at,
        last_customer_message_at) values (?, 'telegram', 'new', ?, ?, ?, ?, ?, ?)`,
    )
    const message = raw.prepare(
      "insert into messages (ticket_id, direction, kind, text, external_id, created_at) values (?, 'inbound', 'text', ?, ?, ?)",
    )
    const processed = raw.prepare(
      "insert into processed_events (channel, external_id, created_at) values ('telegram', ?, ?)",
    )
    for (let i = 0; i < opts.count; i++) {
      const chatId = opts.firstChatId + i
      const contactId = Number(contact.run(String(chatId), `Customer ${i}`, now, now).lastInsertRowid)
      const threadTs = `1763800000.${String(i).padStart(6, '0')}`
      const ticketId = Number(
        ticket.run(contactId, `question ${i}`, opts.deskChannel, threadTs, now, now, now).lastInsertRowid,
      )
      message.run(ticketId, `question ${i}`, `${chatId}:1`, now)
      processed.run(`${chatId}:1`, now)
      threads.push({ ticketId, chatId, threadTs })
    }
  })()
  finish(raw)
  return threads
}
