import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelHost, InboundMessage } from '../../../src/core/ports.js'
import { createTelegramAdapter } from '../../../adapters/telegram/index.js'
import { switchedLeadership } from '../../fakes/ports.js'
import { startFakeTelegram, telegramText, type FakeTelegram } from '../../fakes/telegram-api.js'
import { testLog } from '../../helpers/log.js'

const TOKEN = '123456:lead-token'

describe('Telegram long polling among processes sharing a database', () => {
  let telegram: FakeTelegram
  afterEach(async () => {
    await telegram.close()
  })

  it('polls only while this process leads, and picks up where the last poller stopped', async () => {
    telegram = await startFakeTelegram(TOKEN)
    const lead = switchedLeadership(false)
    const received: InboundMessage[] = []
    const host: ChannelHost = {
      receive: (msg) => {
        received.push(msg)
        return Promise.resolve()
      },
      deliveryStatus: () => Promise.resolve(),
      notify: () => Promise.resolve(),
    }
    const adapter = createTelegramAdapter({
      token: TOKEN,
      apiRoot: telegram.url,
      leadership: lead.leadership,
      log: testLog(),
    })
    await adapter.start(host)
    telegram.push(telegramText('first'))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const polls = () => telegram.calls.filter((c) => c.method === 'getUpdates').length
    expect(polls()).toBe(0) // another process leads: this one leaves the updates to it
    expect(received).toEqual([])

    lead.set(true)
    await expect.poll(() => received.length, { timeout: 5_000 }).toBe(1)
    lead.set(false)
    await expect.poll(polls, { timeout: 5_000 }).toBeGreaterThan(0)
    const pollsWhenLost = polls()
    telegram.push(telegramText('second'))
    await new Promise((resolve) => setTimeout(resolve, 100))
    // The poll under way was ended: nothing more is asked for, nothing more is received.
    expect(polls()).toBeLessThanOrEqual(pollsWhenLost + 1)
    expect(received.map((m) => m.text)).toEqual(['first'])

    lead.set(true)
    await expect.poll(() => received.length, { timeout: 5_000 }).toBe(2)
    expect(received.map((m) => m.text)).toEqual(['first', 'second'])
    await adapter.stop()
  })
})
