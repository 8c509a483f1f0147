import type { IngestSizes } from './p1-ingest.js'
import type { StoreSizes } from './p2-store.js'
import type { BurstSizes } from './p3-burst.js'
import type { ScaleSizes } from './p4-scale.js'
import type { ReplySizes } from './p5-replies.js'

export interface Sizes {
  readonly p1: IngestSizes
  readonly p2: StoreSizes
  readonly p3: BurstSizes
  readonly p4: ScaleSizes
  readonly p5: ReplySizes
}

/** The measures as issue 12 states them, except the two that take many minutes today (P3, P4). */
export const DEFAULT_SIZES: Sizes = {
  p1: { updates: 20_000, customers: 2_000, concurrency: 64, budgetSeconds: 120, halfRateSeconds: 3 },
  p2: { messages: 2_000, warmup: 300 },
  // 1,000 messages over 100 tickets take over three minutes: 200 posts at Slack's one a second.
  p3: { tickets: 10, perTicket: 10, shortened: true },
  p4: {
    tickets: 100_000,
    messagesPerTicket: 5,
    runs: 20,
    loadUpdates: 5_000,
    concurrency: 64,
    budgetSeconds: 60,
  },
  p5: { tickets: 100, perTicket: 10, perSecond: 25, burstConcurrency: 16 },
}

/** BENCH_FULL=1: every measure at the full size. */
export const FULL_SIZES: Sizes = {
  ...DEFAULT_SIZES,
  p1: { ...DEFAULT_SIZES.p1, budgetSeconds: 600, halfRateSeconds: 5 },
  p3: { tickets: 100, perTicket: 10, shortened: false },
  p4: { ...DEFAULT_SIZES.p4, tickets: 1_000_000, runs: 50, loadUpdates: 20_000, budgetSeconds: 300 },
}

/** The smoke test's: every measure runs end to end in seconds; the figures mean nothing. */
export const SMOKE_SIZES: Sizes = {
  p1: { updates: 100, customers: 10, concurrency: 8, budgetSeconds: 60, halfRateSeconds: 0.2 },
  p2: { messages: 20, warmup: 5 },
  p3: { tickets: 1, perTicket: 2, shortened: true },
  p4: { tickets: 200, messagesPerTicket: 2, runs: 2, loadUpdates: 50, concurrency: 8, budgetSeconds: 60 },
  p5: { tickets: 2, perTicket: 2, perSecond: 50, burstConcurrency: 4 },
}

/** The sizes from the environment: BENCH_FULL=1 for the full run, BENCH_TICKETS for P4's tickets. */
export function sizesFromEnv(env: NodeJS.ProcessEnv): Sizes {
  const base = env.BENCH_FULL === '1' ? FULL_SIZES : DEFAULT_SIZES
  const tickets = env.BENCH_TICKETS === undefined ? undefined : Number(env.BENCH_TICKETS)
  if (tickets !== undefined && !(Number.isInteger(tickets) && tickets > 0))
    throw new Error(`BENCH_TICKETS must be a positive integer, not ${env.BENCH_TICKETS}`)
  return tickets === undefined ? base : { ...base, p4: { ...base.p4, tickets } }
}
