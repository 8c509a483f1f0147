import { afterEach, describe, expect, it } from 'vitest'
import { findTicket } from '../../src/db/repos/tickets.js'
import { json, listen, readParams } from '../fakes/http.js'
import { startHarness, type Harness } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'

describe('the customer info callback', () => {
  let h: Harness | undefined
  let service: Awaited<ReturnType<typeof listen>> | undefined
  const asked: Record<string, unknown>[] = []
  afterEach(async () => {
    await h?.stop()
    await service?.close()
    asked.length = 0
  })

  async function withService(answer: (res: Parameters<typeof json>[0]) => void) {
    service = await listen(async (req, res) => {
      asked.push(await readParams(req))
      answer(res)
    })
    h = await startHarness({
      env: { CUSTOMER_INFO_URL: `${service.url}/lookup`, CUSTOMER_INFO_TIMEOUT_MS: '200' },
    })
    return h
  }

  const rootBlocks = (harness: Harness) => JSON.stringify(harness.slack.callsOf('chat.update').at(-1)?.blocks)

  it("posts the new customer and shows the fields it answers on the ticket's root message", async () => {
    const harness = await withService((res) =>
      json(res, 200, { plan: 'Pro', country: 'DE', seats: 12, team: { ignored: true } }),
    )
    await harness.app.helpdesk.receive(inbound('Hi'))
    await harness.app.outbox.drain()
    expect(asked).toEqual([{ channel: 'telegram', id: '7001', name: 'Ada Lovelace', username: 'ada' }])
    expect(rootBlocks(harness)).toContain('*Plan:* Pro  ·  *Country:* DE  ·  *Seats:* 12')
  })

  it('leaves the ticket intact when the service fails, and says so', async () => {
    const harness = await withService((res) => json(res, 500, { error: 'down' }))
    const { ticketId } = await harness.app.helpdesk.receive(inbound('Hi'))
    await harness.app.outbox.drain()
    expect((await findTicket(harness.db, ticketId!))?.thread_ts).not.toBeNull()
    expect(harness.telegram.sent).toHaveLength(1) // the confirmation still went out
    expect(rootBlocks(harness)).toContain('Customer info unavailable: the service answered 500')
  })

  it('does not wait for a slow service beyond its timeout', async () => {
    const harness = await withService(() => undefined) // never answers
    await harness.app.helpdesk.receive(inbound('Hi'))
    await harness.app.outbox.drain()
    expect(harness.slack.callsOf('chat.postMessage').length).toBeGreaterThan(0)
    expect(rootBlocks(harness)).toContain('Customer info unavailable: no answer within 0.2 s')
  })

  it('sends credentials in the URL as Basic authentication, and never shows them', async () => {
    const seen: (string | undefined)[] = []
    service = await listen(async (req, res) => {
      seen.push(req.headers.authorization)
      await readParams(req)
      json(res, 200, { plan: 'Pro' })
    })
    const secretUrl = service.url.replace('http://', 'http://crm:s3cr%40t@')
    h = await startHarness({ env: { CUSTOMER_INFO_URL: `${secretUrl}/lookup` } })
    await h.app.helpdesk.receive(inbound('Hi'))
    await h.app.outbox.drain()
    expect(seen).toEqual([`Basic ${Buffer.from('crm:s3cr@t').toString('base64')}`])
    expect(rootBlocks(h)).toContain('*Plan:* Pro')
  })

  it('shows a failing service without the credentials of its URL', async () => {
    h = await startHarness({
      env: { CUSTOMER_INFO_URL: 'http://crm:hunter2@127.0.0.1:9/lookup?token=abc123' },
    })
    await h.app.helpdesk.receive(inbound('Hi'))
    await h.app.outbox.drain()
    const shown = JSON.stringify(h.slack.calls)
    expect(rootBlocks(h)).toContain('Customer info unavailable')
    expect(shown).not.toContain('hunter2')
    expect(shown).not.toContain('abc123')
  })
})
