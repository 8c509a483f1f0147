import Sqlite from 'better-sqlite3'
import { telegramText } from '../test/fakes/telegram-api.js'
import { WEBHOOK_SECRET, type RunningBot } from './bot.js'
import { closedLoop, type LoadResult, type Shot } from './load.js'

export const TELEGRAM_HEADERS = {
  'content-type': 'application/json',
  'x-telegram-bot-api-secret-token': WEBHOOK_SECRET,
} as const

let updateId = 100_000

/**
 * Telegram webhook updates as Telegram posts them: message `i` comes from customer `i % customers`,
 * so consecutive requests are different customers and the first `customers` of them open tickets.
 * `token(c, m)` is the text: customer c's m-th message here (from 1).
 */
export function telegramUpdates(
  count: number,
  customers: number,
  firstChatId: number,
  token: (customer: number, message: number) => string = (c, m) => `c${c}-m${m}`,
): Shot[] {
  return Array.from({ length: count }, (_, i) => {
    const customer = i % customers
    const text = token(customer, Math.floor(i / customers) + 1)
    const message = telegramText(text, { id: firstChatId + customer, first_name: `Cust${customer}` })
    return { body: JSON.stringify({ update_id: ++updateId, message }), headers: TELEGRAM_HEADERS }
  })
}

/** Counts what the bot has stored, read-only beside it (WAL lets a reader in while it writes). */
export function storedCounter(dbFile: string): { inbound(): number; entries(): number; close(): void } {
  const db = new Sqlite(dbFile, { readonly: true })
  const inbound = db.prepare("select count(*) as n from messages where direction = 'inbound'")
  const entries = db.prepare("select count(*) as n from deliveries where kind = 'desk.entry'")
  const count = (s: Sqlite.Statement) => (s.get() as { n: number }).n
  return { inbound: () => count(inbound), entries: () => count(entries), close: () => db.close() }
}

export interface Ingested {
  readonly load: LoadResult
  /** From the first request until every message and its Slack entry were in the database, ms. */
  readonly storedMs: number
  /** Of those sent: the budget may have stopped the run before all were. */
  readonly stored: number
}

/**
 * Posts `shots` to the bot's Telegram webhook at a fixed concurrency, then waits until all it sent
 * are stored. No request leaves after `budgetMs`: a bot that slows to a crawl ends the run, not the bench.
 */
export async function ingest(
  bot: RunningBot,
  shots: readonly Shot[],
  concurrency: number,
  budgetMs: number,
): Promise<Ingested> {
  const counter = storedCounter(bot.dbFile)
  try {
    const before = { inbound: counter.inbound(), entries: counter.entries() }
    const load = await closedLoop(`${bot.base}/webhooks/telegram`, shots, concurrency, { budgetMs })
    const sent = shots.length - load.unsent
    const deadline = Date.now() + 60_000
    let stored = 0
    for (;;) {
      stored = Math.min(counter.inbound() - before.inbound, counter.entries() - before.entries)
      if (stored >= sent || Date.now() > deadline) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return { load, storedMs: Date.now() - load.startedAt, stored }
  } finally {
    counter.close()
  }
}
