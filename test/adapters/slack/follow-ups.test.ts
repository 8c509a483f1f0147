import { describe, expect, it } from 'vitest'
import { createFollowUps } from '../../../adapters/slack/follow-ups.js'
import { expectLogged, testLog } from '../../helpers/log.js'

describe('follow-ups after a Slack answer', () => {
  it('runs the work one piece at a time, in the order it was left', async () => {
    const followUps = createFollowUps(testLog())
    const seen: string[] = []
    let running = 0
    const piece = (name: string, ms: number) => async () => {
      running++
      expect(running).toBe(1)
      seen.push(`${name} starts`)
      await new Promise((resolve) => setTimeout(resolve, ms))
      seen.push(`${name} ends`)
      running--
    }
    followUps.later('slow', piece('slow', 20))
    followUps.later('quick', piece('quick', 0))
    // Left for later: nothing has started when `later` returns.
    expect(seen).toEqual([])
    await followUps.settled()
    expect(seen).toEqual(['slow starts', 'slow ends', 'quick starts', 'quick ends'])
  })

  it('logs a piece that fails and still runs the ones after it', async () => {
    expectLogged('follow-up work failed', { what: 'report files' })
    const log = testLog()
    const followUps = createFollowUps(log)
    let ran = false
    followUps.later('report files', () => Promise.reject(new Error('no fonts')))
    followUps.later('next', () => {
      ran = true
      return Promise.resolve()
    })
    await followUps.settled()
    expect(ran).toBe(true)
    expect(log.find('error', 'follow-up work failed')?.err).toMatchObject({ message: 'no fonts' })
  })
})
