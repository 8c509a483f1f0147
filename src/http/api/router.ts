import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import type { ApiCaller, ApiKeys } from '../../core/api-keys.js'
import type { ApiTickets } from '../../core/api-tickets.js'
import type { Clock } from '../../core/clock.js'
import { isDeskError } from '../../core/errors.js'
import type { Logger } from '../../core/logger.js'
import type { Channel } from '../../core/model.js'
import type { WebhookRoute } from '../../core/ports.js'
import { parseJson, readRawBody, sendJson } from '../body.js'
import { ApiRefusal, fieldsOf, invalidRequest, sendRefusal, toRefusal } from './errors.js'
import { openApiDocument } from './openapi.js'
import { createRateLimiter, type RateLimit } from './rate-limit.js'
import { apiRoutes, type ApiRoute } from './routes.js'

export const API_PREFIX = '/api/v1'
export const OPENAPI_PATH = `${API_PREFIX}/openapi.json`

/** The largest body the API reads. */
export const API_BODY_LIMIT = 256 * 1024

export interface ApiDeps {
  readonly keys: ApiKeys
  readonly tickets: ApiTickets
  /** Every channel a ticket may be on, for the `channel` filter. */
  readonly channels: readonly Channel[]
  readonly rateLimit: RateLimit
  readonly clock: Clock
  readonly log: Logger
}

/** A route's path as a pattern: `/tickets/{id}` matches `/tickets/42` with `{ id: '42' }`. */
function matcher(path: string): (actual: string) => Record<string, string> | undefined {
  const names: string[] = []
  const source = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name)
    return '([^/]+)'
  })
  const pattern = new RegExp(`^${source}$`)
  return (actual) => {
    const m = pattern.exec(actual)
    if (m === null) return undefined
    try {
      return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')]))
    } catch {
      // A malformed %-escape names nothing we hold.
      return undefined
    }
  }
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where?: string): T {
  if (schema === undefined) return undefined as T
  const result = schema.safeParse(value)
  if (!result.success) throw invalidRequest(fieldsOf(result.error, where))
  return result.data
}

function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return m?.[1]
}

const unauthorized = (message: string) =>
  new ApiRefusal(401, 'unauthorized', message, undefined, { 'www-authenticate': 'Bearer' })

/**
 * The HTTP API under /api/v1, one route on the shared server. Each request is authenticated by its
 * key, counted against the key's rate limit, read within the size limit, validated by its route's
 * schemas, and answered with the route's answer or a refusal in the one error shape.
 */
export function createApiRoute(deps: ApiDeps): WebhookRoute & { readonly routes: readonly ApiRoute[] } {
  const { keys, log } = deps
  const routes = apiRoutes(deps.tickets, deps.channels)
  const table = routes.map((route) => ({ route, match: matcher(`${API_PREFIX}${route.path}`) }))
  const limiter = createRateLimiter(deps.rateLimit, deps.clock)
  const document = JSON.stringify(openApiDocument(routes))

  async function authenticate(req: IncomingMessage): Promise<ApiCaller> {
    const presented = bearerOf(req)
    if (presented === undefined)
      throw unauthorized(
        'Send your API key as `Authorization: Bearer KEY` (admins create keys with /apikey create).',
      )
    const caller = await keys.authenticate(presented)
    if (caller === undefined) throw unauthorized('This API key is wrong or was revoked.')
    return caller
  }

  async function bodyOf(req: IncomingMessage): Promise<{ raw: Buffer; value: unknown }> {
    let raw: Buffer
    try {
      raw = await readRawBody(req, API_BODY_LIMIT)
    } catch (error) {
      if (isDeskError(error) && error.platformCode === 'too_large')
        throw new ApiRefusal(
          413,
          'payload_too_large',
          `The body is larger than ${API_BODY_LIMIT} bytes.`,
          undefined,
          {
            connection: 'close',
          },
        )
      throw error
    }
    try {
      return { raw, value: parseJson(raw) }
    } catch {
      throw invalidRequest([{ field: 'body', message: 'is not valid JSON' }])
    }
  }

  function idempotencyOf(req: IncomingMessage, route: ApiRoute, path: string, raw: Buffer) {
    const key = req.headers['idempotency-key']
    if (route.idempotent !== true || key === undefined) return undefined
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key))
      throw invalidRequest([
        { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
      ])
    const requestHash = createHash('sha256').update(`${route.method} ${path}\n`).update(raw).digest('hex')
    return { key, requestHash }
  }

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/\/+$/, '') || '/'
    const method = req.method ?? 'GET'
    if (path === OPENAPI_PATH && method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      res.end(document)
      return
    }
    const found = table.flatMap(({ route, match }) => {
      const params = match(path)
      return params === undefined ? [] : [{ route, params }]
    })
    if (found.length === 0)
      throw new ApiRefusal(404, 'not_found', `There is no ${path}; see ${OPENAPI_PATH}.`)
    const hit = found.find((f) => f.route.method === method)
    if (hit === undefined) {
      const allow = found.map((f) => f.route.method).join(', ')
      throw new ApiRefusal(405, 'method_not_allowed', `${path} takes ${allow}.`, undefined, { allow })
    }
    const { route } = hit
    const caller = await authenticate(req)
    const waitMs = limiter.take(caller.keyId)
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000))
      throw new ApiRefusal(
        429,
        'rate_limited',
        `Too many requests for this key; try again in ${seconds} s.`,
        undefined,
        {
          'retry-after': String(seconds),
        },
      )
    }
    if (route.role === 'admin' && caller.role !== 'admin')
      throw new ApiRefusal(
        403,
        'forbidden',
        `The key \`${caller.name}\` may not ${route.summary.toLowerCase()}; an admin key may.`,
      )
    const params = parse(route.params, hit.params)
    const query = parse(route.query, Object.fromEntries(url.searchParams))
    const body = route.body === undefined ? undefined : await bodyOf(req)
    const value = parse(route.body, body?.value)
    const idempotency = body === undefined ? undefined : idempotencyOf(req, route, path, body.raw)
    const reply = await route.handle({ caller, params, query, body: value, idempotency })
    if (reply.replayed === true) res.setHeader('idempotent-replayed', 'true')
    sendJson(res, reply.status, reply.body)
    log.debug({ key: caller.name, op: route.operationId, status: reply.status }, 'api request answered')
  }

  return {
    method: 'GET',
    path: API_PREFIX,
    prefix: true,
    routes,
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost')
      try {
        await serve(req, res, url)
      } catch (error) {
        const refusal = toRefusal(error)
        if (refusal === undefined) {
          log.error({ path: url.pathname, method: req.method, err: error }, 'api request failed')
          sendRefusal(
            res,
            new ApiRefusal(500, 'internal', 'Something went wrong on our side; nothing was changed.'),
          )
          return
        }
        log.info(
          { path: url.pathname, method: req.method, status: refusal.status, code: refusal.code },
          'api request refused',
        )
        sendRefusal(res, refusal)
      }
    },
  }
}
