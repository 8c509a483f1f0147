import { createHmac, timingSafeEqual } from 'node:crypto'
import { DeskError } from '../../src/core/errors.js'
import type { Logger } from '../../src/core/logger.js'
import type { WebhookRoute } from '../../src/core/ports.js'
import { parseJson, readRawBody, sendJson } from '../../src/http/body.js'

export const META_WEBHOOK_PATH = '/webhooks/meta'

/** One `entry` of a Meta webhook; each product reads its own fields. */
export type MetaEntry = Record<string, unknown>

/** Handles the entries of one webhook `object` (`whatsapp_business_account`, `instagram`). */
export type MetaHandler = (entries: readonly MetaEntry[]) => Promise<void>

export interface MetaWebhook {
  /** Routes entries of this `object` to the handler; one handler per object. */
  on(object: string, handler: MetaHandler): void
  routes(): readonly WebhookRoute[]
}

/** The `X-Hub-Signature-256` Meta sends: `sha256=` + hex HMAC-SHA256 of the raw body with the app secret. */
export function metaSignature(raw: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`
}

function signatureMatches(header: string | string[] | undefined, raw: Buffer, appSecret: string): boolean {
  if (typeof header !== 'string') return false
  const expected = Buffer.from(metaSignature(raw, appSecret))
  const given = Buffer.from(header)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * The one endpoint every Meta product posts to. The signature is checked over the raw bytes
 * before anything else; entries are stored before the 200, so Meta redelivers what failed.
 */
export function createMetaWebhook(opts: {
  appSecret: string
  verifyToken: string | undefined
  log: Logger
}): MetaWebhook {
  const handlers = new Map<string, MetaHandler>()
  const log = opts.log.child({ webhook: 'meta' })

  const verify: WebhookRoute = {
    method: 'GET',
    path: META_WEBHOOK_PATH,
    handle(req, res) {
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams
      const mode = query.get('hub.mode')
      const token = query.get('hub.verify_token')
      const challenge = query.get('hub.challenge')
      if (mode !== 'subscribe' || challenge === null || token === null) {
        return Promise.reject(
          new DeskError('invalid', 'expected hub.mode=subscribe, hub.verify_token and hub.challenge'),
        )
      }
      if (opts.verifyToken === undefined || token !== opts.verifyToken) {
        log.warn('meta webhook verification with a wrong token (check META_VERIFY_TOKEN)')
        sendJson(res, 403, { error: 'wrong verify token' })
        return Promise.resolve()
      }
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(challenge)
      return Promise.resolve()
    },
  }

  const receive: WebhookRoute = {
    method: 'POST',
    path: META_WEBHOOK_PATH,
    async handle(req, res) {
      const raw = await readRawBody(req)
      if (!signatureMatches(req.headers['x-hub-signature-256'], raw, opts.appSecret)) {
        throw new DeskError('forbidden', 'missing or wrong X-Hub-Signature-256 (check META_APP_SECRET)')
      }
      const body = parseJson(raw) as { object?: unknown; entry?: unknown }
      if (
        typeof body !== 'object' ||
        body === null ||
        typeof body.object !== 'string' ||
        !Array.isArray(body.entry)
      ) {
        throw new DeskError('invalid', 'body is not a Meta webhook (object and entry[] expected)')
      }
      const handler = handlers.get(body.object)
      if (handler === undefined) {
        // Acknowledged, or Meta would retry it for a day: this product is simply not enabled.
        log.warn({ object: body.object }, 'meta webhook for a product that is not enabled')
      } else {
        await handler(body.entry.filter((e): e is MetaEntry => typeof e === 'object' && e !== null))
      }
      sendJson(res, 200, { ok: true })
    },
  }

  return {
    on(object, handler) {
      handlers.set(object, handler)
    },
    routes: () => [verify, receive],
  }
}
