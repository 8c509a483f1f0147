import { afterEach, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../helpers/harness.js'

describe('GET /healthz', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  it('answers 200 while the database and Slack answer, and 503 naming Slack when it does not', async () => {
    h = await startHarness()
    const ok = await fetch(`${h.base}/healthz`)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ status: 'ok', database: true, slack: true })

    h.slack.failNext('auth.test', { error: 'invalid_auth' })
    h.clock.advance(60_000) // past the cached answer
    const down = await fetch(`${h.base}/healthz`)
    expect(down.status).toBe(503)
    expect(await down.json()).toEqual({ status: 'degraded', database: true, slack: false })
  })

  it('answers 404 to unknown paths and 405 to a wrong method', async () => {
    h = await startHarness()
    expect((await fetch(`${h.base}/nope`)).status).toBe(404)
    expect((await fetch(`${h.base}/healthz`, { method: 'POST' })).status).toBe(405)
  })
})
