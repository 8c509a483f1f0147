import type { Db } from '../db/connection.js'
import { enqueueDelivery } from '../db/repos/deliveries.js'
import {
  endpointAnswered,
  endpointFailed,
  findEndpoint,
  findWebhookEvent,
  pauseEndpoint,
} from '../db/repos/webhooks.js'
import type { WebhookEndpoint } from '../db/schema.js'
import { iso, type Clock } from './clock.js'
import { describeError, DeskError } from './errors.js'
import type { WebhookSender } from './ports.js'

export interface WebhookDelivery {
  readonly sender: WebhookSender
  /** WEBHOOK_DISABLE_AFTER: how long an endpoint may keep failing before it is paused. */
  readonly disableAfterMs: number
}

/** How often the events of a paused endpoint look whether it was resumed. */
export const PAUSED_RECHECK_MS = 60_000

/** Where an endpoint points, scheme and host only: its path or query may hold a token. */
export function hostOf(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return 'an unreadable URL'
  }
}

/**
 * The outbox's call for one webhook event to one endpoint. A removed endpoint's events are done
 * (nobody wants them); a paused one's wait, untried, until an admin's test resumes it. A failure
 * is recorded on the endpoint, which is paused (and the support channel told) once it has failed
 * for WEBHOOK_DISABLE_AFTER; the outbox retries the event with backoff meanwhile.
 */
export function createWebhookCall(
  deps: { readonly db: Db; readonly clock: Clock; readonly webhooks?: WebhookDelivery },
  timed: (call: () => Promise<void>) => Promise<void>,
) {
  const { db, clock } = deps

  async function failed(endpoint: WebhookEndpoint, error: unknown): Promise<void> {
    const now = clock.now()
    const reason = describeError(error)
    await endpointFailed(db, endpoint.id, reason, iso(now))
    const since = new Date(endpoint.failing_since ?? iso(now)).getTime()
    const limit = deps.webhooks?.disableAfterMs ?? Infinity
    if (now.getTime() - since < limit) return
    await db.transaction().execute(async (tx) => {
      if (!(await pauseEndpoint(tx, endpoint.id, iso(now)))) return
      const minutes = Math.round((now.getTime() - since) / 60_000)
      await enqueueDelivery(
        tx,
        null,
        {
          type: 'desk.alert',
          alert: {
            kind: 'webhook_paused',
            endpointId: endpoint.id,
            host: hostOf(endpoint.url),
            minutes,
            reason,
          },
        },
        iso(now),
      )
    })
  }

  return async function deliverWebhook(endpointId: number, eventId: string): Promise<void> {
    const sender = deps.webhooks?.sender
    if (sender === undefined) throw new DeskError('unavailable', 'outgoing webhooks are not set up')
    const endpoint = await findEndpoint(db, endpointId)
    const event = await findWebhookEvent(db, eventId)
    if (endpoint === undefined || endpoint.removed_at !== null || event === undefined) return
    if (endpoint.paused_at !== null) {
      throw new DeskError(
        'unavailable',
        `webhook endpoint ${endpoint.id} is paused until an admin tests it`,
        {
          retryAfterMs: PAUSED_RECHECK_MS,
        },
      )
    }
    try {
      await timed(() => sender.post(endpoint, { id: event.id, timestamp: clock.now(), body: event.body }))
    } catch (error) {
      await failed(endpoint, error)
      throw error
    }
    await endpointAnswered(db, endpoint.id)
  }
}
