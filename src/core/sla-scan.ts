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
  readonly tickets: readonly (SlaRow & { readonly clocks: readonly ClockState[] })[]
}

/**
 * How far past `now` the pass reads open stretches, for the moments clocks fall due; a clock due
 * later is counted afresh.
 */
const AHEAD_MS = 60 * 86_400_000

/**
 * Every ticket that needs work with its running clocks, a page at a time in id order: two reads a
 * page (the tickets, their status changes), so a pass over a large desk stays cheap.
 */
export async function* workingClocks(db: Db, sla: SlaSettings, now: Date): AsyncGenerator<ClockPage> {
  // Working time and due moments from the open stretches, read once a pass (again only for a page
  // that reaches further back): old tickets would walk the schedule day by day, each clock again.
  let settings: SlaSettings | undefined
  let from = now.toISOString()
  for (let afterId = 0; ;) {
    const tickets = await slaPage(db, WORKING, afterId, PAGE)
    const last = tickets.at(-1)
    if (last === undefined) return
    afterId = last.id
    const changes = await statusChangesOfTickets(
      db,
      tickets.map((t) => t.id),
    )
    const earliest = tickets.reduce((min, t) => (t.created_at < min ? t.created_at : min), from)
    if (settings === undefined || earliest < from) {
      from = earliest
      const timeline = workingTimeline(sla.hours, new Date(from), new Date(now.getTime() + AHEAD_MS))
      const hours = {
        ...sla.hours,
        workingTimeBetween: (a: Date, b: Date) => timeline.workingTimeBetween(a, b),
        addWorkingTime: (start: Date, ms: number) => timeline.addWorkingTime(start, ms),
      }
      settings = { ...sla, hours }
    }
    const pageSettings = settings
    yield {
      tickets: tickets.map((t) => ({
        ...t,
        clocks: evaluateClocks(
          slaFactsFrom(t, changes.get(t.id) ?? [], sla.pausedStatuses),
          now,
          pageSettings,
        ),
      })),
    }
    if (tickets.length < PAGE) return
  }
}
