import cron, { type ScheduledTask } from 'node-cron'
import type { Clock } from '../core/clock.js'
import type { Logger } from '../core/logger.js'
import type { JobDeps } from './jobs/deps.js'
import { runDigest } from './jobs/digest.js'
import { runLifecycle } from './jobs/lifecycle.js'
import { runSlaAlerts } from './jobs/sla-alerts.js'

/** A job: a plain function of its dependencies and the time, idempotent, safe to run late. */
export type Job = (deps: JobDeps, now: Date) => Promise<void>

export const JOBS: Readonly<Record<string, Job>> = {
  'sla-alerts': runSlaAlerts,
  lifecycle: runLifecycle,
  digest: runDigest,
}

export interface Scheduler {
  /**
   * Runs every job every minute, and once now in the background (catch-up after downtime): start-up
   * never waits for a job over a large database.
   */
  start(): Promise<void>
  /** Resolves when the jobs started by `start` (the catch-up run) are over. */
  caughtUp(): Promise<void>
  /** Stops the schedule and waits for the jobs under way. */
  stop(): Promise<void>
}

/**
 * node-cron runs each job every minute. Jobs compare deadlines with the time they are given, so a
 * bot that was off over a deadline acts once when it comes back. A job never runs beside itself.
 */
export function createScheduler(deps: JobDeps, clock: Clock, log: Logger, jobs = JOBS): Scheduler {
  const running = new Map<string, Promise<void>>()
  const tasks: ScheduledTask[] = []
  let catchUp: Promise<void> = Promise.resolve()

  function run(name: string, job: Job): Promise<void> {
    const under = running.get(name)
    if (under !== undefined) return under
    const done = (async () => {
      try {
        await job(deps, clock.now())
      } catch (error) {
        log.error({ job: name, err: error }, 'job failed')
      } finally {
        running.delete(name)
      }
    })()
    running.set(name, done)
    return done
  }

  return {
    start() {
      if (tasks.length > 0) return Promise.resolve()
      for (const [name, job] of Object.entries(jobs)) {
        tasks.push(cron.schedule('* * * * *', () => run(name, job), { name, noOverlap: true }))
      }
      catchUp = Promise.all(Object.entries(jobs).map(([name, job]) => run(name, job))).then(() => undefined)
      return Promise.resolve()
    },
    caughtUp: () => catchUp,
    async stop() {
      for (const task of tasks) await task.stop()
      tasks.length = 0
      await Promise.all(running.values())
    },
  }
}
