import { sql } from 'kysely'
import type { WebhookRoute } from '../core/ports.js'
import type { Db } from '../db/connection.js'
import { sendJson } from './body.js'

/** GET /healthz: 200 when the database and Slack both answer, 503 (saying which failed) otherwise. */
export function healthRoute(db: Db, slackHealthy: () => Promise<boolean>): WebhookRoute {
  return {
    method: 'GET',
    path: '/healthz',
    async handle(_req, res) {
      const [database, slack] = await Promise.all([
        sql`select 1`.execute(db).then(
          () => true,
          () => false,
        ),
        slackHealthy(),
      ])
      const ok = database && slack
      sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'degraded', database, slack })
    },
  }
}
