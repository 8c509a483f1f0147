import { setImmediate } from 'node:timers/promises'
import type { Db } from '../db/connection.js'
import { statusChangesOfTickets } from '../db/repos/events.js'
import { slaPage, type SlaRow } from '../db/repos/ticket-deadlines.js'
import { workingTimeline } from './hours.js'
import { evaluateClocks, slaFactsFrom, type ClockState, type SlaSettings } from './sla.js'

/** Statuses in which a ticket's clocks can run. */
const WORKING = ['new', 'open', 'pending', 'on_hold'] as const

/** How many tickets one step of a pass reads at once. */
const PAGE = 500

/** One page of tickets that need work, each with its clocks at `now`. */
export interface ClockPage {
  /** The page's ticket ids, in order. */
  readonly ids: readonly number[]
  /**
   * Each ticket with its clocks, worked out as it is read (once): a page's clocks are never held
   * all at once, so they are dropped young instead of piling up in the old generation.
   */
  readonly tickets: Iterable<SlaRow & { readonly clocks: readonly ClockState[] }>
}

/**
 * How far past `now` the pass reads open stretches, for the moments clocks fall due; a clock due
 * later is counted afresh.
 */
const AHEAD_MS = 60 * 86_400_000

/**
 * Every ticket that needs work with its running clocks, once each, a page at a time (status by
 * status, in id order): two reads a page (the tickets, their status changes), so a pass over a
 * large desk stays cheap.
 */
export async function* workingClocks(db: Db, sla: SlaSettings, now: Date): AsyncGenerator<ClockPage> {
  // Working time and due moments from the open stretches, read once a pass (again only for a page
  // that reaches further back): old tickets would walk the schedule day by day, each clock again.
  let settings: SlaSettings | undefined
  let from = now.toISOString()
  // A ticket that moves on to a status read later in the pass is met again there: it counts once.
  const seen = new Set<number>()
  for (const status of WORKING) {
    for (let afterId = 0; ;) {
      const page = await slaPage(db, status, afterId, PAGE)
      const last = page.at(-1)
      if (last === undefined) break
      afterId = last.id
      const tickets = page.filter((t) => !seen.has(t.id))
      for (const t of tickets) seen.add(t.id)
      const ids = tickets.map((t) => t.id)
      const changes = await statusChangesOfTickets(db, ids)
      const earliest = tickets.reduce((min, t) => (t.created_at < min ? t.created_at : min), from)
      if (settings === undefined || earliest < from) {
        from = earliest
        const timeline = workingTimeline(sla.hours, new Date(from), new Date(now.getTime() + AHEAD_MS))
        const hours = {
          ...sla.hours,
          workingTimeBetween: (a: Date, b: Date) => timeline.workingTimeBetween(a, b),
          msBetween: (a: number, b: number) => timeline.msBetween(a, b),
          addWorkingTime: (start: Date, ms: number) => timeline.addWorkingTime(start, ms),
        }
        settings = { ...sla, hours }
      }
      yield { ids, tickets: withClocks(tickets, changes, now, settings) }
      // SQLite answers at once: without a turn of the event loop between pages, a pass over 15,000
      // working tickets held it for 350 ms, and every webhook and slash command waited.
      await setImmediate()
      if (page.length < PAGE) break
    }
  }
}

function* withClocks(
  tickets: readonly SlaRow[],
  changes: ReadonlyMap<number, Parameters<typeof slaFactsFrom>[1]>,
  now: Date,
  settings: SlaSettings,
): Generator<SlaRow & { readonly clocks: readonly ClockState[] }> {
  for (const t of tickets) {
    const facts = slaFactsFrom(t, changes.get(t.id) ?? [], settings.pausedStatuses)
    // Field by field: copies of the row made with a spread outlived the young generation, about
    // 4 MB of old-generation garbage a pass over 14,000 tickets.
    yield {
      id: t.id,
      status: t.status,
      priority: t.priority,
      created_at: t.created_at,
      first_response_at: t.first_response_at,
      awaiting_reply_since: t.awaiting_reply_since,
      assignee: t.assignee,
      clocks: evaluateClocks(facts, now, settings),
    }
  }
}
