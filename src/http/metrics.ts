import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import type { DeliveryOutcome } from '../core/outbox.js'
import type { WebhookRoute } from '../core/ports.js'

/** The process's Prometheus metrics, served at GET /metrics. */
export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'threaddesk_' })
  const deliveries = new Counter({
    name: 'threaddesk_deliveries_total',
    help: 'Outbox deliveries by kind, service (slack or the customer channel) and result (sent, retried, waited, failed)',
    labelNames: ['kind', 'service', 'result'] as const,
    registers: [registry],
  })
  const inbound = new Counter({
    name: 'threaddesk_inbound_messages_total',
    help: 'Customer messages stored, by channel',
    labelNames: ['channel'] as const,
    registers: [registry],
  })
  const http = new Counter({
    name: 'threaddesk_http_responses_total',
    help: 'HTTP answers by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  })
  const errors = new Counter({
    name: 'threaddesk_unhandled_errors_total',
    help: 'Errors that reached the process-wide handlers (a request, listener or job that failed unexpectedly)',
    labelNames: ['kind'] as const,
    registers: [registry],
  })
  const queueDepth = new Gauge({
    name: 'threaddesk_outbox_queued',
    help: 'Deliveries waiting in the outbox, by service',
    labelNames: ['service'] as const,
    registers: [registry],
  })
  const oldestAge = new Gauge({
    name: 'threaddesk_outbox_oldest_age_seconds',
    help: 'Age of the oldest waiting delivery, by service',
    labelNames: ['service'] as const,
    registers: [registry],
  })

  return {
    registry,
    delivery: (o: DeliveryOutcome) => deliveries.inc({ kind: o.kind, service: o.service, result: o.result }),
    inbound: (channel: string) => inbound.inc({ channel }),
    http: (route: string, status: number) => http.inc({ route, status: String(status) }),
    unhandled: (kind: 'rejection' | 'exception') => errors.inc({ kind }),
    /** Sets the queue gauges from a fresh reading (all services at once, so gone ones drop to 0). */
    queue(rows: readonly { service: string; queued: number; oldestAgeS: number }[]) {
      queueDepth.reset()
      oldestAge.reset()
      for (const r of rows) {
        queueDepth.set({ service: r.service }, r.queued)
        oldestAge.set({ service: r.service }, r.oldestAgeS)
      }
    },
    route(beforeCollect: () => Promise<void>): WebhookRoute {
      return {
        method: 'GET',
        path: '/metrics',
        async handle(_req, res) {
          await beforeCollect()
          const body = await registry.metrics()
          res.writeHead(200, { 'content-type': registry.contentType })
          res.end(body)
        },
      }
    },
  }
}

export type Metrics = ReturnType<typeof createMetrics>
