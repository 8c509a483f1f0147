/** Waiting on conditions, never on the clock alone: every wait polls a condition and has a deadline. */

const POLL_MS = 50

export class DeadlineError extends Error {
  override readonly name = 'DeadlineError'
}

/** Resolves with the first truthy value of `probe`, polling until `timeoutMs`; throws naming `what` after. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() >= deadline) throw new DeadlineError(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await pause(POLL_MS)
  }
}

/**
 * Waits until `remaining()` is 0, for as long as it keeps falling: gives up when it has not moved
 * for `stallMs` or `hardMs` have passed. Resolves with what is still missing (0 when all is done).
 * A bot that paces its sends is given the time it needs; a bot that stalls is caught.
 */
export async function waitForProgress(
  remaining: () => number,
  opts: { readonly stallMs: number; readonly hardMs: number },
): Promise<number> {
  const start = Date.now()
  let last = remaining()
  let movedAt = start
  while (last > 0) {
    const now = Date.now()
    if (now - movedAt >= opts.stallMs || now - start >= opts.hardMs) return last
    await pause(POLL_MS)
    const next = remaining()
    if (next !== last) movedAt = Date.now()
    last = next
  }
  return 0
}

/** A pause that is itself the point (a random gap between two actions, a chosen outage length). */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
