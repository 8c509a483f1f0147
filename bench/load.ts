import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'

/** One request to make: the body and its headers (signed per request where the platform signs). */
export interface Shot {
  readonly body: string
  readonly headers: Readonly<Record<string, string>>
}

export interface Answer {
  readonly status: number
  readonly body: string
}

export interface LoadResult {
  /** Milliseconds per request, in the order they were made. */
  readonly latencies: number[]
  /** Answers by HTTP status (0: no answer: the connection failed). */
  readonly statuses: Record<number, number>
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
            res.on('error', () => resolve({ status: 0, body: '' }))
          },
        )
        req.on('error', () => resolve({ status: 0, body: '' }))
        req.end(shot.body)
      })
    },
    close(): void {
      agent.destroy()
    },
  }
}

export type Client = ReturnType<typeof createClient>

/** Closed loop: `concurrency` requests in flight at all times until every shot was answered. */
export async function closedLoop(
  url: string,
  shots: readonly Shot[],
  concurrency: number,
  onAnswer?: (index: number, answer: Answer) => void,
): Promise<LoadResult> {
  const client = createClient(url, concurrency)
  const latencies: number[] = new Array<number>(shots.length)
  const statuses: Record<number, number> = {}
  let next = 0
  const startedAt = Date.now()
  const t0 = performance.now()
  const worker = async () => {
    while (next < shots.length) {
      const i = next++
      const shot = shots[i]
      if (shot === undefined) return
      const at = performance.now()
      const answer = await client.post(shot)
      latencies[i] = performance.now() - at
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1
      onAnswer?.(i, answer)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, shots.length) }, worker))
  const elapsedMs = performance.now() - t0
  client.close()
  return { latencies, statuses, elapsedMs, startedAt, endedAt: startedAt + elapsedMs }
}

/**
 * Open loop: one request every 1/`perSecond` s whether or not the earlier ones were answered (up to
 * `maxInFlight`). Latency counts from when a request was due, so a server that falls behind is
 * charged for the wait it causes, not only for the requests it answers.
 */
export async function openLoop(
  url: string,
  shots: readonly (Shot | (() => Shot))[],
  perSecond: number,
  maxInFlight: number,
  onSent?: (index: number, at: number) => void,
): Promise<LoadResult> {
  const client = createClient(url, maxInFlight)
  const latencies: number[] = new Array<number>(shots.length)
  const statuses: Record<number, number> = {}
  const interval = 1000 / perSecond
  const startedAt = Date.now()
  const t0 = performance.now()
  let inFlight = 0
  let wake: (() => void) | undefined
  const pending: Promise<void>[] = []
  for (let i = 0; i < shots.length; i++) {
    const due = t0 + i * interval
    const wait = due - performance.now()
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
    while (inFlight >= maxInFlight) await new Promise<void>((resolve) => (wake = resolve))
    const item = shots[i]
    if (item === undefined) continue
    const shot = typeof item === 'function' ? item() : item
    inFlight++
    onSent?.(i, startedAt + (due - t0))
    pending.push(
      client.post(shot).then((answer) => {
        latencies[i] = performance.now() - due
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1
        inFlight--
        wake?.()
      }),
    )
  }
  await Promise.all(pending)
  const elapsedMs = performance.now() - t0
  client.close()
  return { latencies, statuses, elapsedMs, startedAt, endedAt: startedAt + elapsedMs }
}

/** Requests per second over a run. */
export const rateOf = (r: LoadResult): number => (r.latencies.length / r.elapsedMs) * 1000

/** Every answer was a 2xx. */
export const allOk = (r: LoadResult): boolean =>
  Object.entries(r.statuses).every(([status]) => Number(status) >= 200 && Number(status) < 300)
