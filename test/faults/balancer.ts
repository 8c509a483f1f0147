import type { Random } from './rng.js'

/** One place a request can go: a replica's base URL, while it is worth trying. */
export interface Upstream {
  readonly name: string
  readonly base: string
}

/** What came of a request: the replica's answer, or why there was none. */
export type Forwarded =
  | { readonly res: Response; readonly via: Upstream }
  | { readonly error: string; readonly via: Upstream | undefined }

/**
 * What stands between the platforms and the replicas, as nginx does in deploy/nginx.conf: each
 * request goes to a replica picked at random (from the seed); one that refuses the connection is
 * marked down for `downForMs` and the request is tried on the next (`proxy_next_upstream error`).
 * A request the replica may have read (the connection reset, or the platform gave up waiting) is
 * not sent again here: nginx never retries a POST, the platform does, later. When every replica is
 * marked down they are all tried anyway, as one replica alone is never marked down.
 */
export function createBalancer(upstreams: () => readonly Upstream[], random: Random, downForMs = 10_000) {
  const downUntil = new Map<string, number>()
  let forwarded = 0
  let passedOn = 0

  /** Replicas in the order this request tries them: those up first, in a random order. */
  function order(): Upstream[] {
    const now = Date.now()
    const all = upstreams()
    const up = all.filter((u) => (downUntil.get(u.name) ?? 0) <= now)
    const down = all.filter((u) => (downUntil.get(u.name) ?? 0) > now)
    return [...random.shuffle(up), ...random.shuffle(down)]
  }

  return {
    /** Requests forwarded, and of those how many a refusing replica passed on to the next one. */
    stats: () => ({ forwarded, passedOn }),

    async forward(request: (base: string) => Promise<Response>): Promise<Forwarded> {
      forwarded++
      let last: Upstream | undefined
      for (const upstream of order()) {
        if (last !== undefined) passedOn++
        last = upstream
        try {
          return { res: await request(upstream.base), via: upstream }
        } catch (error) {
          const why = describe(error)
          if (why.timedOut) return { error: why.text, via: upstream }
          downUntil.set(upstream.name, Date.now() + downForMs)
          if (!why.refused) return { error: why.text, via: upstream }
        }
      }
      return { error: 'no replica accepted the connection', via: last }
    },
  }
}
export type Balancer = ReturnType<typeof createBalancer>

/** fetch's failure, read: refused (nothing was sent), timed out (the caller gave up), or anything else. */
function describe(error: unknown): { text: string; refused: boolean; timedOut: boolean } {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause
  const code = typeof cause?.code === 'string' ? cause.code : undefined
  const timedOut = error instanceof DOMException && error.name === 'TimeoutError'
  const text = code ?? (error instanceof Error ? `${error.name}: ${error.message}` : String(error))
  return { text, refused: code === 'ECONNREFUSED', timedOut }
}
