/** A platform's rate limit: `perSecond` sends on average, up to `burst` at once. */
export interface Rate {
  readonly perSecond: number
  readonly burst: number
}

/**
 * Paces sends per key (a Slack channel, a Telegram chat, a bot) by the generic cell rate algorithm:
 * a send either goes now or is given the earliest moment it may go, and that moment is reserved
 * for it so a burst is spread out once instead of being turned away again and again.
 */
export function createPacer() {
  /** Per key, the time at which the bucket is empty again (the "theoretical arrival time"). */
  const tat = new Map<string, number>()
  /** Moments already promised to a delivery, by delivery id, with the keys they were counted under. */
  const reserved = new Map<number, { readonly at: number; readonly keys: readonly string[] }>()

  function allowedAt(key: string, rate: Rate, now: number): number {
    const interval = 1000 / rate.perSecond
    return Math.max(now, (tat.get(key) ?? now) - (rate.burst - 1) * interval)
  }

  function take(key: string, rate: Rate, at: number): void {
    const interval = 1000 / rate.perSecond
    tat.set(key, Math.max(tat.get(key) ?? at, at) + interval)
  }

  return {
    /**
     * Asks to send delivery `id` now (or at `notBefore`, when later) under every limit given.
     * Returns 0 when it may go now, else the moment (ms since the epoch) reserved for it.
     */
    reserve(id: number, limits: readonly (readonly [string, Rate])[], now: number, notBefore = now): number {
      const promised = reserved.get(id)
      // A slot, once given, stays the delivery's until it is used (`release`): a row that finds its
      // target busy when its moment comes keeps its place rather than queueing again at the end.
      if (promised !== undefined) return promised.at > now ? promised.at : 0
      const at = Math.max(now, notBefore, ...limits.map(([key, rate]) => allowedAt(key, rate, now)))
      for (const [key, rate] of limits) take(key, rate, at)
      reserved.set(id, { at, keys: limits.map(([key]) => key) })
      return at <= now ? 0 : at
    },
    /**
     * The platform refused a send under `key` until `until` (a 429): its bucket is empty, whatever
     * this pacer counted. The moments promised under that key are taken back, to be asked for
     * again, and the count starts over from the wait: the next send may go at `until` and the ones
     * after at the steady rate, with no burst.
     */
    refused(key: string, rate: Rate, until: number): void {
      const interval = 1000 / rate.perSecond
      tat.set(key, until + (rate.burst - 1) * interval)
      for (const [id, promise] of reserved) if (promise.keys.includes(key)) reserved.delete(id)
    },
    /** Forgets a delivery's reservation: it has gone, or was done some other way. */
    release(id: number): void {
      reserved.delete(id)
    },
  }
}

export type Pacer = ReturnType<typeof createPacer>
