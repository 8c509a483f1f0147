import { afterEach, describe, expect, it } from 'vitest'
import { telegramText } from '../fakes/telegram-api.js'
import { startHarness, type Harness } from '../helpers/harness.js'

describe('health', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  it('/healthz answers 200 whenever the process runs, whatever Slack says', async () => {
    h = await startHarness()
    h.slack.failNext('auth.test', { error: 'invalid_auth' })
    h.clock.advance(60_000)
    const live = await fetch(`${h.base}/healthz`)
    expect(live.status).toBe(200)
    expect(await live.json()).toEqual({ status: 'ok' })
  })

  it('/readyz says which part is not ready: Slack refusing is, a rate limit is not', async () => {
    h = await startHarness()
    const ready = await fetch(`${h.base}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      database: { ok: true },
      slack: { ok: true },
      channels: { telegram: { ok: true } },
      outbox: { queued: 0, failing: [] },
    })

    h.slack.failNext('auth.test', { status: 429, retryAfter: 30 })
    h.clock.advance(60_000) // past the cached answer
    expect((await fetch(`${h.base}/readyz`)).status).toBe(200)

    h.slack.failNext('auth.test', { error: 'invalid_auth' })
    h.clock.advance(60_000)
    const down = await fetch(`${h.base}/readyz`)
    expect(down.status).toBe(503)
    expect(await down.json()).toMatchObject({
      status: 'not_ready',
      database: { ok: true },
      slack: { ok: false, detail: expect.stringContaining('invalid_auth') as unknown },
    })
  })

  it('/readyz fails when the database refuses writes, and counts what waits in the outbox', async () => {
    h = await startHarness({ telegram: 'webhook' })
    expect((await h.webhook({ update_id: 1, message: telegramText('Hello') })).status).toBe(200)
    const waiting = (await (await fetch(`${h.base}/readyz`)).json()) as { outbox: { queued: number } }
    expect(waiting.outbox.queued).toBeGreaterThan(0)

    await h.db.schema.dropTable('heartbeats').execute()
    const res = await fetch(`${h.base}/readyz`)
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({
      database: { ok: false, detail: expect.stringContaining('cannot write') as unknown },
    })
  })

  it('/metrics speaks Prometheus: deliveries, inbound messages and HTTP answers', async () => {
    h = await startHarness({ telegram: 'webhook' })
    await h.webhook({ update_id: 1, message: telegramText('Hi') })
    await h.app.outbox.drain()
    const res = await fetch(`${h.base}/metrics`)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toContain('threaddesk_inbound_messages_total{channel="telegram"} 1')
    expect(text).toMatch(/threaddesk_deliveries_total\{kind="desk.open",service="slack",result="sent"\} 1/)
    expect(text).toContain('threaddesk_http_responses_total{route="/webhooks/telegram",status="200"} 1')
  })

  it('answers 404 to unknown paths and 405 to a wrong method', async () => {
    h = await startHarness()
    expect((await fetch(`${h.base}/nope`)).status).toBe(404)
    expect((await fetch(`${h.base}/healthz`, { method: 'POST' })).status).toBe(405)
  })
})
