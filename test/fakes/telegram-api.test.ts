import { afterEach, describe, expect, it } from 'vitest'
import { startFakeTelegram, telegramText, type FakeTelegram } from './telegram-api.js'

// The fault suite's replicas scenarios count on these: they are how Telegram treats two pollers.

const TOKEN = '1:fake'
let telegram: FakeTelegram | undefined

afterEach(async () => {
  await telegram?.close()
  telegram = undefined
})

function getUpdates(root: string, args: Record<string, unknown>, signal?: AbortSignal) {
  return fetch(`${root}/bot${TOKEN}/getUpdates`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(args),
    ...(signal !== undefined && { signal }),
  })
}

describe('the fake Telegram, with several pollers', () => {
  it('ends a waiting getUpdates with 409 Conflict when another one comes, and counts it', async () => {
    const tg = (telegram = await startFakeTelegram(TOKEN))
    const first = getUpdates(tg.viaUrl('b1'), { timeout: 5 })
    await expect.poll(() => tg.calls.length).toBe(1)
    const second = getUpdates(tg.viaUrl('b2'), { timeout: 5 })

    const ended = await first
    expect(ended.status).toBe(409)
    const body = (await ended.json()) as { ok: boolean; error_code: number; description: string }
    expect(body).toMatchObject({ ok: false, error_code: 409 })
    expect(body.description).toContain('terminated by other getUpdates request')
    tg.push(telegramText('hello'))
    expect(await (await second).json()).toMatchObject({ ok: true, result: [{ update_id: 1001 }] })
    expect(tg.conflicts.map(({ ended, by }) => ({ ended, by }))).toEqual([{ ended: 'b1', by: 'b2' }])
    expect(tg.calls.map((c) => c.by)).toEqual(['b1', 'b2'])
  })

  it('no longer counts a poller that went away as waiting', async () => {
    const tg = (telegram = await startFakeTelegram(TOKEN))
    const gone = new AbortController()
    const first = getUpdates(tg.url, { timeout: 5 }, gone.signal).catch(() => undefined)
    await expect.poll(() => tg.calls.length).toBe(1)
    gone.abort()
    await first
    // The fake hears the connection close a moment after the caller gave up.
    await new Promise((resolve) => setTimeout(resolve, 100))

    const next = await getUpdates(tg.url, { timeout: 0 })
    expect(next.status).toBe(200)
    expect(tg.conflicts).toEqual([])
  })
})
