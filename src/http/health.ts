import type { Clock } from '../core/clock.js'
import { iso } from '../core/clock.js'
import type { WebhookRoute } from '../core/ports.js'
import type { Db } from '../db/connection.js'
import { queueStats } from '../db/repos/deliveries.js'
import { beat } from '../db/repos/heartbeats.js'
import { sendJson } from './body.js'

/** One part of readiness: whether it is fine, and in a few words why not. */
export interface Check {
  readonly ok: boolean
  readonly detail?: string
}

export interface ReadinessSources {
  readonly db: Db
  readonly clock: Clock
  /** Whether Slack answered lately (a rate limit is an answer). */
  readonly slack: () => Promise<Check>
  /** Each enabled customer channel. */
  readonly channels: () => Record<string, Check>
  /** Targets the outbox keeps failing to reach. */
  readonly failing: () => readonly { target: string; since: Date; reason: string }[]
  /** Set once the process is stopping: it takes nothing new. */
  readonly stopping: () => boolean
}

/** GET /healthz: liveness. It answers whenever the event loop does, and checks nothing else. */
export const livenessRoute: WebhookRoute = {
  method: 'GET',
  path: '/healthz',
  handle(_req, res) {
    sendJson(res, 200, { status: 'ok' })
    return Promise.resolve()
  },
}

async function databaseCheck(db: Db, at: string): Promise<Check> {
  try {
    await beat(db, 'readyz', at)
    return { ok: true }
  } catch (error) {
    return { ok: false, detail: `cannot write: ${error instanceof Error ? error.message : String(error)}` }
  }
}

/**
 * GET /readyz: readiness as JSON. 200 when the database takes a write, Slack was reachable lately
 * and every enabled channel is connected; 503 otherwise, saying which part is not.
 */
export function readinessRoute(src: ReadinessSources): WebhookRoute {
  return {
    method: 'GET',
    path: '/readyz',
    async handle(_req, res) {
      const [database, slack, queue] = await Promise.all([
        databaseCheck(src.db, iso(src.clock.now())),
        src.slack(),
        queueStats(src.db).catch(() => undefined),
      ])
      const now = src.clock.now()
      const channels = src.channels()
      const stopping = src.stopping()
      const ready = !stopping && database.ok && slack.ok && Object.values(channels).every((c) => c.ok)
      sendJson(res, ready ? 200 : 503, {
        status: stopping ? 'stopping' : ready ? 'ready' : 'not_ready',
        database,
        slack,
        channels,
        outbox: {
          queued: queue?.queued ?? null,
          oldestQueuedAgeS:
            queue?.oldestCreatedAt == null
              ? null
              : Math.round((now.getTime() - new Date(queue.oldestCreatedAt).getTime()) / 1000),
          failing: src.failing().map((f) => ({
            target: f.target,
            sinceS: Math.round((now.getTime() - f.since.getTime()) / 1000),
            reason: f.reason,
          })),
        },
      })
    },
  }
}
