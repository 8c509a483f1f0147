import { describe, expect, it } from 'vitest'
import { createScheduler, type Job } from '../../src/scheduler/index.js'
import type { JobDeps } from '../../src/scheduler/jobs/deps.js'
import { manualClock } from '../helpers/clock.js'
import { expectLogged, testLog } from '../helpers/log.js'

describe('the scheduler', () => {
  it('runs each job at start with the current time, never beside itself, and survives a failing job', async () => {
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

    const first = scheduler.start()
    const second = scheduler.start() // while the first run of `slow` is still going
    release()
    await Promise.all([first, second])
    expect(seen).toEqual(['slow@2026-11-23T09:00:00.000Z'])
    await scheduler.stop()
  })
})
