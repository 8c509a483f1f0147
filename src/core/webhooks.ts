import { randomBytes } from 'node:crypto'
import {
  endpointAnswered,
  findEndpoint,
  insertEndpoint,
  liveEndpoints,
  removeEndpoint,
} from '../db/repos/webhooks.js'
import type { Actor } from './actor.js'
import { atLeast } from './agents.js'
import { iso } from './clock.js'
import { describeError, DeskError } from './errors.js'
import type { WebhookSender } from './ports.js'
import { hostOf } from './webhook-call.js'
import {
  eventBody,
  forgetEndpoints,
  newEventId,
  TEST_EVENT,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from './webhook-events.js'
import { createWork, type WorkDeps } from './work.js'

/** An endpoint as admins see it: never its secret, which is shown once, when it is added. */
export interface EndpointView {
  readonly id: number
  readonly url: string
  readonly events: readonly WebhookEventType[]
  readonly failingSince: Date | null
  readonly lastError: string | null
  readonly paused: boolean
}

/** What a test of an endpoint found. */
export type TestOutcome =
  | { readonly ok: true; readonly ms: number; readonly resumed: boolean }
  | { readonly ok: false; readonly reason: string }

/**
 * The endpoints that receive webhook events, managed by admins: add (with its own signing secret,
 * shown once), list, remove, and test (one signed test event sent now; a paused endpoint that
 * answers is resumed, and the events that waited for it go out in order).
 */
export function createWebhooks(
  deps: WorkDeps & {
    readonly sender: WebhookSender
    /** Called when a paused endpoint is resumed: the outbox tries its waiting events now. */
    readonly onResumed: () => void
  },
) {
  const { db, clock } = deps
  const { inTransaction } = createWork(deps)

  async function requireAdmin(actor: Actor): Promise<void> {
    if (!(await atLeast(db, actor.deskUserId, 'admin')))
      throw new DeskError('forbidden', 'Only admins manage webhooks.')
  }

  async function liveEndpoint(id: number) {
    const endpoint = await findEndpoint(db, id)
    if (endpoint === undefined || endpoint.removed_at !== null)
      throw new DeskError('not_found', `There is no webhook endpoint ${id}; \`/webhook list\` shows them.`)
    return endpoint
  }

  return {
    /** Registers an endpoint for some event types; returns it with its secret, the one time it is shown. */
    async add(
      actor: Actor,
      url: string,
      events: readonly string[],
    ): Promise<EndpointView & { secret: string }> {
      await requireAdmin(actor)
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        throw new DeskError('invalid', `\`${url}\` is not a URL; give one such as https://example.com/hooks.`)
      }
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
        throw new DeskError('invalid', 'A webhook URL starts with https:// (or http://).')
      const wanted = events.length === 0 ? [...WEBHOOK_EVENT_TYPES] : [...new Set(events)]
      const unknown = wanted.filter((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e))
      if (unknown.length > 0)
        throw new DeskError(
          'invalid',
          `${unknown.map((e) => `\`${e}\``).join(', ')} ${unknown.length === 1 ? 'is not an event' : 'are not events'}; choose from ${WEBHOOK_EVENT_TYPES.join(', ')}.`,
        )
      const secret = `whsec_${randomBytes(24).toString('base64')}`
      const row = await inTransaction((tx, now) =>
        insertEndpoint(tx, { url: parsed.href, events: wanted, secret, createdBy: actor.deskUserId }, now),
      )
      forgetEndpoints(db)
      return {
        id: row.id,
        url: row.url,
        events: wanted as WebhookEventType[],
        failingSince: null,
        lastError: null,
        paused: false,
        secret,
      }
    },

    async list(actor: Actor): Promise<EndpointView[]> {
      await requireAdmin(actor)
      return (await liveEndpoints(db)).map((e) => ({
        id: e.id,
        url: e.url,
        events: JSON.parse(e.events) as WebhookEventType[],
        failingSince: e.failing_since === null ? null : new Date(e.failing_since),
        lastError: e.last_error,
        paused: e.paused_at !== null,
      }))
    },

    /** Removes an endpoint: the events still waiting for it are dropped, nobody wants them. */
    async remove(actor: Actor, id: number): Promise<void> {
      await requireAdmin(actor)
      const removed = await inTransaction((tx, now) => removeEndpoint(tx, id, now))
      forgetEndpoints(db)
      if (!removed)
        throw new DeskError('not_found', `There is no webhook endpoint ${id}; \`/webhook list\` shows them.`)
    },

    /** Sends one signed test event now and says how the endpoint answered. */
    async test(actor: Actor, id: number): Promise<TestOutcome> {
      await requireAdmin(actor)
      const endpoint = await liveEndpoint(id)
      const at = clock.now()
      const eventId = newEventId()
      const body = eventBody(eventId, TEST_EVENT, iso(at), {
        endpoint: { id: endpoint.id, host: hostOf(endpoint.url) },
      })
      const started = performance.now()
      try {
        await deps.sender.post(endpoint, { id: eventId, timestamp: at, body })
      } catch (error) {
        return { ok: false, reason: describeError(error) }
      }
      const ms = Math.round(performance.now() - started)
      await endpointAnswered(db, endpoint.id)
      const resumed = endpoint.paused_at !== null
      if (resumed || endpoint.failing_since !== null) deps.onResumed()
      return { ok: true, ms, resumed }
    },
  }
}

export type Webhooks = ReturnType<typeof createWebhooks>
