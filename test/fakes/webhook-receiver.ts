import { timingSafeEqual } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { listen } from './http.js'

export interface ReceivedEvent {
  readonly id: string
  readonly type: string
  readonly data: {
    readonly ticket: { readonly id: number; readonly priority: string }
    readonly message?: { readonly direction: string; readonly text: string }
    readonly changes?: Record<string, { readonly from: string | null; readonly to: string | null }>
  }
}

/**
 * A site's webhook receiver on loopback: it checks each request's Standard Webhooks signature with
 * the endpoint's secret, answers 500 while `failing`, and keeps what it accepted, in order.
 */
export async function startWebhookReceiver() {
  const accepted: ReceivedEvent[] = []
  const state: {
    secret: string
    failing: boolean
    attempts: number
    badSignatures: number
    strict: boolean
    /** Called with each event it is about to accept, before it answers (a fault test kills the sender here). */
    beforeAnswer?: ((event: ReceivedEvent) => void) | undefined
  } = { secret: '', failing: false, attempts: 0, badSignatures: 0, strict: false }
  const server = await listen(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk)
    const raw = Buffer.concat(chunks).toString('utf8')
    const headers = {
      'webhook-id': String(req.headers['webhook-id']),
      'webhook-timestamp': String(req.headers['webhook-timestamp']),
      'webhook-signature': String(req.headers['webhook-signature']),
    }
    state.attempts += 1
    const wh = new Webhook(state.secret)
    let valid: boolean
    if (state.strict) {
      // The library's own check, timestamp tolerance included: what a real receiver runs.
      try {
        wh.verify(raw, headers)
        valid = true
      } catch {
        valid = false
      }
    } else {
      // The signature alone: the tests move the desk's clock far from this one.
      const expected = Buffer.from(
        wh.sign(headers['webhook-id'], new Date(Number(headers['webhook-timestamp']) * 1000), raw),
      )
      valid = headers['webhook-signature']
        .split(' ')
        .some((s) => s.length === expected.length && timingSafeEqual(Buffer.from(s), expected))
    }
    if (!valid) {
      state.badSignatures += 1
      res.writeHead(401).end()
      return
    }
    if (state.failing) {
      res.writeHead(500).end('down for maintenance')
      return
    }
    const body = JSON.parse(raw) as ReceivedEvent
    if (body.id !== headers['webhook-id']) throw new Error('the body and the webhook-id differ')
    accepted.push(body)
    state.beforeAnswer?.(body)
    res.writeHead(204).end()
  })
  return { ...server, state, accepted, url: `${server.url}/hooks` }
}
