import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describeError, isDeskError } from '../core/errors.js'
import type { Logger } from '../core/logger.js'
import type { WebhookRoute } from '../core/ports.js'
import { sendJson } from './body.js'

export interface HttpServer {
  readonly server: Server
  /** Listens on the port (0 picks a free one); resolves with the port it got. */
  listen(port: number, host?: string): Promise<number>
  close(): Promise<void>
}

const statusOf = (code: string): number =>
  code === 'invalid' ? 400 : code === 'forbidden' ? 401 : code === 'not_found' ? 404 : 500

/** The one HTTP server of the process: Slack, webhooks and health share it, each a route. */
export function createHttpServer(routes: readonly WebhookRoute[], log: Logger): HttpServer {
  const table = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]))
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const route = table.get(`${req.method ?? 'GET'} ${path}`)
    if (route === undefined) {
      const known = routes.some((r) => r.path === path)
      sendJson(res, known ? 405 : 404, { error: known ? 'method not allowed' : 'not found' })
      return
    }
    route.handle(req, res).catch((error: unknown) => {
      const status = isDeskError(error) ? statusOf(error.code) : 500
      log[status >= 500 ? 'error' : 'warn']({ path, status, err: describeError(error) }, 'request failed')
      if (!res.headersSent)
        sendJson(res, status, { error: status >= 500 ? 'internal error' : describeError(error) })
      else res.end()
    })
  })
  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port))
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
