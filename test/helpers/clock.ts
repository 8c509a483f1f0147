import type { Clock } from '../../src/core/clock.js'

/** A clock that moves only when told. */
export function manualClock(start = new Date('2026-11-23T09:00:00Z')) {
  let now = start.getTime()
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms
    },
    set(d: Date) {
      now = d.getTime()
    },
  } satisfies Clock & Record<string, unknown>
}
export type ManualClock = ReturnType<typeof manualClock>
