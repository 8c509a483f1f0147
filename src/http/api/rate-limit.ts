import type { Clock } from '../../core/clock.js'

/** A number of requests per window, as API_RATE_LIMIT says it (`600/min`). */
export interface RateLimit {
  readonly count: number
  readonly windowMs: number
}

/**
 * A token bucket per key: each key may make `count` requests in a burst, and gets them back evenly
 * over the window. In memory, per process: replicas each count their own share.
 */
export function createRateLimiter(limit: RateLimit, clock: Clock) {
  const buckets = new Map<number, { tokens: number; at: number }>()
  const perMs = limit.count / limit.windowMs
  return {
    /** Takes one request for the key: 0 when it may go, else how many ms until it may. */
    take(keyId: number): number {
      const now = clock.now().getTime()
      const bucket = buckets.get(keyId) ?? { tokens: limit.count, at: now }
      bucket.tokens = Math.min(limit.count, bucket.tokens + (now - bucket.at) * perMs)
      bucket.at = now
      buckets.set(keyId, bucket)
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return 0
      }
      return Math.ceil((1 - bucket.tokens) / perMs)
    },
  }
}
