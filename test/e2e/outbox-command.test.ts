import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AGENT, startHarness, SUPERVISOR, type Harness } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'

describe('/outbox', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
  })
  afterEach(async () => {
    await h.stop()
  })

  it('shows supervisors what is held and why, and /outbox retry tries it at once', async () => {
    expect(await h.slash('/outbox', '', SUPERVISOR)).toContain('The outbox is empty')
    h.telegram.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' })
    await h.app.helpdesk.receive(inbound('Where is my parcel?'))
    await h.app.outbox.drain()
    expect(h.telegram.sent).toEqual([])

    const report = await h.slash('/outbox', '', SUPERVISOR)
    expect(report).toContain('• Telegram: 1 waiting')
    expect(report).toContain('*Held for another try*')
    expect(report).toMatch(
      /customer\.message for #1, 1 try, next in \d+ s: Telegram sendMessage answered 502/,
    )

    expect(await h.slash('/outbox', 'retry', SUPERVISOR)).toBe('Trying 1 held delivery again now.')
    await h.app.outbox.drain()
    expect(h.telegram.sent).toHaveLength(1)
    expect(await h.slash('/outbox', '', SUPERVISOR)).toContain('The outbox is empty')
  })

  it('is for supervisors only', async () => {
    expect(await h.slash('/outbox', '', AGENT)).toContain('Only supervisors and admins')
    expect(await h.slash('/outbox', 'retry', AGENT)).toContain('Only supervisors and admins')
  })
})
