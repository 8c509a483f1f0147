import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isDeskError, type ErrorCode } from '../core/errors.js'
import type { Logger } from '../core/logger.js'
import type { WebhookRoute } from '../core/ports.js'
import { sendJson } from './body.js'

export interface HttpServer {
  readonly server: Server
  /** Listens on the port (0 picks a free one); resolves with the port it got. */
  listen(port: number, host?: string): Promise<number>
  /** From now on every route but health and metrics answers 503, so platforms send it again later. */
  stopIntake(): void
  close(): Promise<void>
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  invalid: 400,
  forbidden: 401,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
}

/** Routes that keep answering while the process stops. */
const ALWAYS_OPEN = new Set(['/healthz', '/readyz', '/metrics'])

/** The one HTTP server of the process: Slack, webhooks and health share it, each a route. */
export function createHttpServer(
  routes: readonly WebhookRoute[],
  log: Logger,
  observe: (route: string, status: number) => void = () => undefined,
): HttpServer {
  const table = new Map(routes.filter((r) => r.prefix !== true).map((r) => [`${r.method} ${r.path}`, r]))
  const prefixed = routes.filter((r) => r.prefix === true)
  /** The route serving a path under its own (`/api/v1` serves `/api/v1/tickets`), whatever the method. */
  const under = (path: string) => prefixed.find((r) => path === r.path || path.startsWith(`${r.path}/`))
  let intake = true
  // Connections are checked against the timeouts below every second (Node's default is every 30 s,
  // which let a client trickling its headers hold its socket for 30–60 s).
  const server = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const prefix = under(path)
    const route = prefix ?? table.get(`${req.method ?? 'GET'} ${path}`)
    // Paths under a prefix count as the prefix: ticket numbers would make a metric per ticket.
    const label = prefix?.path ?? path
    res.once('finish', () => observe(route === undefined ? 'unknown' : label, res.statusCode))
    if (route === undefined) {
      const known = routes.some((r) => r.path === path)
      sendJson(res, known ? 405 : 404, { error: known ? 'method not allowed' : 'not found' })
      return
    }
    if (!intake && !ALWAYS_OPEN.has(path)) {
      res.setHeader('retry-after', '5')
      sendJson(res, 503, { error: 'shutting down' })
      return
    }
    route.handle(req, res).catch((error: unknown) => {
      const status = !isDeskError(error)
        ? 500
        : error.platformCode === 'too_large'
          ? 413
          : (STATUS[error.code] ?? 500)
      if (status >= 500) log.error({ path, status, err: error }, 'request failed')
      else
        log.warn({ path, status, err: isDeskError(error) ? error.message : String(error) }, 'request refused')
      if (!res.headersSent) {
        const message = isDeskError(error) && status !== 500 ? error.message : 'internal error'
        sendJson(res, status, { error: message })
      } else res.end()
    })
  })
  // A client that trickles its headers or body is cut off: nobody holds a connection for minutes.
  server.headersTimeout = 10_000
  server.requestTimeout = 30_000
  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port))
      }),
    stopIntake() {
      intake = false
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
