import { setImmediate as yieldToIo } from 'node:timers/promises'
import type { Db } from '../../db/connection.js'
import { sweepEnded } from '../../db/repos/deliveries.js'
import { sweepProcessed, type ProcessedKey } from '../../db/repos/processed-events.js'
import type { JobDeps } from './deps.js'

/**
 * How long the bookkeeping is kept: a platform sends an event again within days, not weeks, and an
 * ended delivery only tells what became of a call.
 */
export const BOOKKEEPING_KEEP_DAYS = 30
const DAY_MS = 24 * 60 * 60 * 1000

/** How far one run sweeps each table: `windows` statements, each looking at `window` rows. */
export interface Reach {
  readonly window: number
  readonly windows: number
}
/** A run a minute looks at up to 1.2 million rows of each table an hour, a few milliseconds at a time. */
const REACH: Reach = { window: 1_000, windows: 20 }

/** Where the sweeps of a database go on from; lost with the process, when they start over. */
interface Sweep {
  events?: ProcessedKey | undefined
  deliveries?: number | undefined
}
const sweeps = new WeakMap<Db, Sweep>()

/**
 * Deletes what only bookkeeping kept, once older than BOOKKEEPING_KEEP_DAYS: the records of platform
 * events handled (by which a redelivery is recognised) and the outbox's ended rows. Tickets, their
 * messages, events and files are never touched. Each run sweeps on from where the last stopped, as
 * far as `reach`, and starts over after the last row.
 */
export async function runRetention(deps: JobDeps, now: Date, reach: Reach = REACH): Promise<void> {
  const { db } = deps
  const before = new Date(now.getTime() - BOOKKEEPING_KEEP_DAYS * DAY_MS).toISOString()
  const sweep = sweeps.get(db) ?? {}
  sweeps.set(db, sweep)
  const events = await sweepOn(sweep.events, reach, (after) =>
    sweepProcessed(db, before, after, reach.window),
  )
  sweep.events = events.at
  const deliveries = await sweepOn(sweep.deliveries, reach, (after) =>
    sweepEnded(db, before, after, reach.window),
  )
  sweep.deliveries = deliveries.at
  if (events.forgotten + deliveries.forgotten > 0) {
    deps.log.debug(
      { events: events.forgotten, deliveries: deliveries.forgotten, keepDays: BOOKKEEPING_KEEP_DAYS },
      'old bookkeeping deleted',
    )
  }
}

/** Sweeps window after window from `from`, as far as `reach` or the last row; says where it stopped. */
async function sweepOn<K>(
  from: K | undefined,
  reach: Reach,
  window: (after: K | undefined) => Promise<{ forgotten: number; next: K | undefined }>,
): Promise<{ forgotten: number; at: K | undefined }> {
  let forgotten = 0
  let at = from
  for (let i = 0; i < reach.windows; i++) {
    const step = await window(at)
    forgotten += step.forgotten
    at = step.next
    if (at === undefined) break
    await yieldToIo()
  }
  return { forgotten, at }
}
