import pg from 'pg'
import type { Leadership } from '../core/leadership.js'
import type { Logger } from '../core/logger.js'

/**
 * The class of the advisory lock that elects the leader (an arbitrary number, the same in every
 * replica); the lock's other half is the schema, so two deployments in one database elect apart.
 */
export const LEADER_LOCK_CLASS = 0x7464_0002

export interface ElectedLeadership extends Leadership {
  /** Takes part in the election: tries once before resolving, then again every `retryMs`. */
  start(): Promise<void>
  /** Steps down (the lock is released with the connection) and stops taking part. */
  stop(): Promise<void>
}

/**
 * Leader election among the processes on one PostgreSQL database: the process holding a session
 * advisory lock, on a connection of its own, leads. The server releases the lock when that
 * connection ends, so when the leader dies (or loses the server) another process takes over on its
 * next try. The leader checks its connection on every try and steps down when it is gone; until it
 * notices (at most `retryMs`) a new leader may already act, so what leads must be safe to do twice
 * for a moment (jobs are idempotent; Telegram answers a second poller with 409 Conflict).
 */
export function createElectedLeadership(url: string, log: Logger, retryMs: number): ElectedLeadership {
  const watchers = new Set<(held: boolean) => void>()
  let client: pg.Client | undefined
  let held = false
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let trying: Promise<void> = Promise.resolve()

  function become(next: boolean): void {
    if (next === held) return
    held = next
    if (next) log.info('this process leads: it runs the scheduled jobs and Telegram polling')
    else log.info('this process no longer leads')
    for (const watcher of watchers) watcher(next)
  }

  async function drop(c: pg.Client | undefined): Promise<void> {
    if (client === c) client = undefined
    become(false)
    await c?.end().catch(() => undefined)
  }

  async function connect(): Promise<pg.Client> {
    const c = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: Math.max(retryMs, 1_000),
      query_timeout: Math.max(retryMs, 1_000),
      keepAlive: true,
      application_name: 'threaddesk-leader',
    })
    // A connection the server closed is gone, and the lock with it.
    c.on('error', (error) => {
      log.warn({ err: error }, 'leader election connection lost')
      void drop(c)
    })
    await c.connect()
    return c
  }

  async function attempt(): Promise<void> {
    const c = client
    try {
      if (c === undefined) {
        client = await connect()
        if (stopped) return await drop(client)
      }
      const active = client!
      if (held) {
        await active.query('select 1')
        return
      }
      const { rows } = await active.query<{ ok: boolean }>(
        'select pg_try_advisory_lock($1, hashtext(current_schema())) as ok',
        [LEADER_LOCK_CLASS],
      )
      if (!stopped) become(rows[0]?.ok === true)
    } catch (error) {
      log.warn({ err: error }, 'leader election could not reach the database, trying again')
      await drop(client)
    }
  }

  function schedule(): void {
    if (stopped) return
    timer = setTimeout(() => {
      trying = attempt().finally(schedule)
    }, retryMs)
  }

  return {
    held: () => held,
    watch(fn) {
      watchers.add(fn)
      fn(held)
      return () => watchers.delete(fn)
    },
    async start() {
      trying = attempt()
      await trying
      schedule()
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await trying
      await drop(client)
    },
  }
}
