import { setImmediate } from 'node:timers/promises'
import type { Logger } from '../../src/core/logger.js'

/**
 * Work a Slack request leaves for after its answer, such as a report's charts and CSV: Slack waits
 * 3 s for the answer, and the answer must not wait for them. One piece at a time, in order, so a
 * burst of requests never draws many reports at once; a failure is logged and stops nothing after it.
 */
export interface FollowUps {
  later(what: string, work: () => Promise<void>): void
  /** Resolves once every piece left so far is done. */
  settled(): Promise<void>
}

export function createFollowUps(log: Logger): FollowUps {
  let last: Promise<void> = Promise.resolve()
  return {
    later(what, work) {
      // Begun on a later turn of the event loop: the answer it follows is on its way first.
      last = last
        .then(() => setImmediate())
        .then(work)
        .catch((error: unknown) => log.error({ err: error, what }, 'follow-up work failed'))
    },
    settled: () => last,
  }
}
