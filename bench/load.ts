import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'

/** One request to make: the body and its headers (signed per request where the platform signs). */
export interface Shot {
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
}

export interface Answer {
  /** The HTTP status; 0 when no answer came (see `error`). */
  readonly status: number
  readonly body: string
  /** Why no answer came: the socket error's code (ECONNRESET…). */
  readonly error?: string
}

export interface LoadResult {
  /** Milliseconds per answered request, in the order the answers came. */
  readonly latencies: number[]
  /** When each answer came, ms after the first request left (the same order). */
  readonly answeredAtMs: number[]
  /** Answers by HTTP status, or by error code when the connection failed without one. */
  readonly statuses: Record<string, number>
  /** For each request that got no answer, how long after it left the connection failed, ms. */
  readonly failedAfterMs: number[]
  /** Requests never sent: the time budget ran out first. */
  readonly unsent: number
  /** From the first request to the last answer, ms. */
  readonly elapsedMs: number
  /** When the first request left and the last answer came (ms since the epoch). */
  readonly startedAt: number
  readonly endedAt: number
}

/**
 * A small keep-alive HTTP client, lighter than fetch: the bench shares the machine with what it
 * measures, and the same client drives threaddesk and its ceiling.
 */
export function createClient(url: string, sockets: number) {
  const target = new URL(url)
  const agent = new Agent({ keepAlive: true, maxSockets: sockets })
  return {
    post(shot: Shot): Promise<Answer> {
      return new Promise((resolve) => {
        const req = request(
          {
            agent,
            host: target.hostname,
            port: target.port,
            path: target.pathname + target.search,
            method: 'POST',
            headers: { ...shot.headers, 'content-length': Buffer.byteLength(shot.body) },
          },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (chunk: Buffer) => chunks.push(chunk))
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
            )
            res.on('error', (e: NodeJS.ErrnoException) => resolve(failed(e)))
          },
        )
        req.on('error', (e: NodeJS.ErrnoException) => resolve(failed(e)))
        req.end(shot.body)
      })
    },
    close(): void {
      agent.destroy()
    },
  }
}

export type Client = ReturnType<typeof createClient>

const failed = (e: NodeJS.ErrnoException): Answer => ({ status: 0, body: '', error: e.code ?? e.message })

/** What both loops record. */
function recorder(sent: () => number, total: number) {
  const latencies: number[] = []
  const answeredAtMs: number[] = []
  const statuses: Record<string, number> = {}
  const failedAfterMs: number[] = []
  const startedAt = Date.now()
  const t0 = performance.now()
  return {
    t0,
    answered(latency: number, answer: Answer) {
      latencies.push(latency)
      answeredAtMs.push(performance.now() - t0)
      if (answer.status === 0) failedAfterMs.push(latency)
      const key = answer.status === 0 ? (answer.error ?? 'no answer') : String(answer.status)
      statuses[key] = (statuses[key] ?? 0) + 1
    },
    result(): LoadResult {
      const elapsedMs = performance.now() - t0
      const unsent = total - sent()
      return {
        latencies,
        answeredAtMs,
        statuses,
        failedAfterMs,
        unsent,
        elapsedMs,
        startedAt,
        endedAt: startedAt + elapsedMs,
      }
    },
  }
}

/** A request, or a function that makes it when it leaves (a signature that must be fresh). */
export type ShotOrMaker = Shot | (() => Shot)

export interface LoopOptions {
  /** No request leaves after this many ms; those under way are waited for. */
  readonly budgetMs?: number
  /** Learns when request `index` left, or was due (open loop), in ms since the epoch. */
  readonly onSent?: (index: number, at: number) => void
}

/** Closed loop: `concurrency` requests in flight at all times until every shot was answered. */
export async function closedLoop(
  url: string,
  shots: readonly ShotOrMaker[],
  concurrency: number,
  opts: LoopOptions = {},
): Promise<LoadResult> {
  const client = createClient(url, concurrency)
  let next = 0
  const record = recorder(() => next, shots.length)
  const deadline = record.t0 + (opts.budgetMs ?? Infinity)
  const worker = async () => {
    while (next < shots.length && performance.now() < deadline) {
      const i = next++
      const item = shots[i]
      if (item === undefined) return
      const shot = typeof item === 'function' ? item() : item
      const at = performance.now()
      opts.onSent?.(i, Date.now())
      const answer = await client.post(shot)
      record.answered(performance.now() - at, answer)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, shots.length) }, worker))
  client.close()
  return record.result()
}

/**
 * Open loop: one request every 1/`perSecond` s whether or not the earlier ones were answered (up to
 * `maxInFlight`), until every shot left or `budgetMs` has passed. Latency counts from when a request
 * was due, so a server that falls behind is charged for the wait it causes, not only for the
 * requests it answers. `onSent` learns when each was due (ms since the epoch).
 */
export async function openLoop(
  url: string,
  shots: readonly ShotOrMaker[],
  perSecond: number,
  maxInFlight: number,
  opts: LoopOptions = {},
): Promise<LoadResult> {
  const client = createClient(url, maxInFlight)
  let sent = 0
  const record = recorder(() => sent, shots.length)
  const { t0 } = record
  const deadline = t0 + (opts.budgetMs ?? Infinity)
  const interval = 1000 / perSecond
  let inFlight = 0
  let wake: (() => void) | undefined
  const pending: Promise<void>[] = []
  for (let i = 0; i < shots.length; i++) {
    const due = t0 + i * interval
    const wait = due - performance.now()
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
    while (inFlight >= maxInFlight) await new Promise<void>((resolve) => (wake = resolve))
    if (performance.now() >= deadline) break
    const item = shots[i]
    if (item === undefined) continue
    const shot = typeof item === 'function' ? item() : item
    inFlight++
    sent++
    opts.onSent?.(i, Date.now() - (performance.now() - due))
    pending.push(
      client.post(shot).then((answer) => {
        record.answered(performance.now() - due, answer)
        inFlight--
        wake?.()
      }),
    )
  }
  await Promise.all(pending)
  client.close()
  return record.result()
}

/** Answers per second over a run. */
export const rateOf = (r: LoadResult): number => (r.latencies.length / r.elapsedMs) * 1000

/** Answers per second within [fromMs, toMs) of the run's start. */
export function rateBetween(r: LoadResult, fromMs: number, toMs: number): number {
  const n = r.answeredAtMs.filter((t) => t >= fromMs && t < toMs).length
  return toMs > fromMs ? (n / (toMs - fromMs)) * 1000 : 0
}

/** Every answer was a 2xx. */
export const allOk = (r: LoadResult): boolean =>
  Object.keys(r.statuses).every((status) => /^2\d\d$/.test(status))
