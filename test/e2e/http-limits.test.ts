import http from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { findTicket } from '../../src/db/repos/tickets.js'
import { telegramText } from '../fakes/telegram-api.js'
import { startHarness, WEBHOOK_SECRET, type Harness } from '../helpers/harness.js'

describe('request bodies over their limit', () => {
  let h: Harness
  let agent: http.Agent | undefined
  afterEach(async () => {
    agent?.destroy()
    await h.stop()
  })

  /** Posts to the Telegram webhook over one kept-alive connection, as a platform's client does. */
  const post = (body: Buffer | string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(`${h.base}/webhooks/telegram`)
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-telegram-bot-api-secret-token': WEBHOOK_SECRET,
          },
        },
        (res) => {
          let text = ''
          res.on('data', (chunk: Buffer) => (text += chunk.toString()))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        },
      )
      req.on('error', reject)
      req.end(body)
    })

  it('are refused with 413, and the connection they came on carries the next update', async () => {
    h = await startHarness({ telegram: 'webhook' })
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    const huge = Buffer.alloc(2 * 1024 * 1024, ' ')
    const refused = await post(huge)
    expect(refused.status).toBe(413)
    expect(refused.body).toContain('larger than')
    const update = JSON.stringify({ update_id: 1, message: telegramText('Still there?') })
    expect((await post(update)).status).toBe(200)
    expect((await findTicket(h.db, 1))?.status).toBe('new')
  })
})
