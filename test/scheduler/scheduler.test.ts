import { describe, expect, it } from 'vitest'
import { createScheduler, type Job } from '../../src/scheduler/index.js'
import type { JobDeps } from '../../src/scheduler/jobs/deps.js'
import { switchedLeadership } from '../fakes/ports.js'
import { manualClock } from '../helpers/clock.js'
import { expectLogged, testLog } from '../helpers/log.js'

describe('the scheduler', () => {
  it('runs each job once at start in the background, never beside itself, and survives a failing job', async () => {
    const clock = manualClock(new Date('2026-11-23T09:00:00Z'))
    const seen: string[] = []
    let release = () => undefined as void
    const slow: Job = async (_deps, now) => {
      seen.push(`slow@${now.toISOString()}`)
      await new Promise<void>((resolve) => (release = resolve))
    }
    const broken: Job = () => Promise.reject(new Error('boom'))
    expectLogged('job failed', { job: 'broken', err: 'boom' })
    const scheduler = createScheduler({} as JobDeps, clock, testLog(), { slow, broken })

    // Start-up does not wait for the catch-up run: `slow` is still going when start returns.
    await scheduler.start()
    await scheduler.start()
    expect(seen).toEqual(['slow@2026-11-23T09:00:00.000Z'])
    let stopped = false
    const stopping = scheduler.stop().then(() => (stopped = true))
    await Promise.resolve()
    expect(stopped).toBe(false) // stop waits for the job under way
    release()
    await scheduler.caughtUp()
    await stopping
    expect(seen).toEqual(['slow@2026-11-23T09:00:00.000Z'])
  })
})

describe('the scheduler among processes sharing a database', () => {
  it('runs jobs only while this process leads, and catches up as soon as it does', async () => {
    const clock = manualClock(new Date('2026-11-23T09:00:00Z'))
    const seen: string[] = []
    const job: Job = (_deps, now) => {
      seen.push(now.toISOString())
      return Promise.resolve()
    }
    const lead = switchedLeadership()
    const scheduler = createScheduler({} as JobDeps, clock, testLog(), { job }, lead.leadership)

    await scheduler.start()
    await scheduler.caughtUp()
    expect(seen).toEqual([]) // another process leads: nothing runs here

    clock.advance(60_000)
    lead.set(true)
    await scheduler.caughtUp()
    expect(seen).toEqual(['2026-11-23T09:01:00.000Z'])

    lead.set(false)
    lead.set(true)
    await scheduler.caughtUp()
    expect(seen).toHaveLength(2)
    await scheduler.stop()
    lead.set(true) // stopped: it no longer listens
    expect(seen).toHaveLength(2)
  })
})
