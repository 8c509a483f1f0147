/**
 * What the outbox knows in memory about its targets, shared with whoever reports on it (/outbox,
 * readiness). Built first, so the outbox and its readers get it as a dependency rather than
 * reaching for each other; it also carries the wake-up the rest of the core rings when it queues.
 */
export function createOutboxState() {
  /** Targets that asked us to wait (HTTP 429): nothing goes to them before this time. */
  const pausedUntil = new Map<string, number>()
  /** Rows whose bookkeeping failed after their work: held in memory, since the database is what failed. */
  const held = new Map<number, { until: number; failures: number }>()
  /** Targets failing right now: since when, and whether the support channel was told. */
  const failing = new Map<string, { since: number; alerted: boolean; reason: string }>()
  let wake: (() => void) | undefined

  return {
    pausedUntil,
    held,
    failing,
    /** Something was queued, or a wait was lifted: the worker looks again now. */
    kick: (): void => {
      wake?.()
    },
    /** Waits up to `ms`, or until kicked. */
    async sleep(ms: number): Promise<void> {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(5, ms))
        wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      wake = undefined
    },
    /** Targets failing right now, for readiness and /outbox. */
    failingTargets: (): { target: string; since: Date; reason: string }[] =>
      [...failing].map(([target, s]) => ({ target, since: new Date(s.since), reason: s.reason })),
    /** Forgets every wait, so the next pass tries everything queued. */
    forgetWaits: (): void => {
      pausedUntil.clear()
      held.clear()
      wake?.()
    },
  }
}

export type OutboxState = ReturnType<typeof createOutboxState>
