import cron, { type ScheduledTask } from 'node-cron'
import type { Clock } from '../core/clock.js'
import { soleLeadership, type Leadership } from '../core/leadership.js'
import type { Logger } from '../core/logger.js'
import type { JobDeps } from './jobs/deps.js'
import { runDigest } from './jobs/digest.js'
import { runLifecycle } from './jobs/lifecycle.js'
import { runRetention } from './jobs/retention.js'
import { runSlaAlerts } from './jobs/sla-alerts.js'
import { runWeeklyReport } from './jobs/weekly-report.js'

/** A job: a plain function of its dependencies and the time, idempotent, safe to run late. */
export type Job = (deps: JobDeps, now: Date) => Promise<void>

export const JOBS: Readonly<Record<string, Job>> = {
  'sla-alerts': runSlaAlerts,
  lifecycle: runLifecycle,
  digest: runDigest,
  'weekly-report': runWeeklyReport,
  retention: runRetention,
}

export interface Scheduler {
  /**
   * Runs every job every minute, and once now in the background (catch-up after downtime): start-up
   * never waits for a job over a large database. Among processes sharing a database only the leader
   * runs them; one that becomes leader catches up at once.
   */
  start(): Promise<void>
  /** Resolves when the latest catch-up run (at start, or on becoming leader) is over. */
  caughtUp(): Promise<void>
  /** Stops the schedule and waits for the jobs under way. */
  stop(): Promise<void>
}

/**
 * node-cron runs each job every minute. Jobs compare deadlines with the time they are given, so a
 * bot that was off over a deadline acts once when it comes back. A job never runs beside itself,
 * and only in the process that leads.
 */
export function createScheduler(
  deps: JobDeps,
  clock: Clock,
  log: Logger,
  jobs = JOBS,
  leadership: Leadership = soleLeadership,
): Scheduler {
  const running = new Map<string, Promise<void>>()
  const tasks: ScheduledTask[] = []
  let catchUp: Promise<void> = Promise.resolve()
  let unwatch: (() => void) | undefined

  function run(name: string, job: Job): Promise<void> {
    const under = running.get(name)
    if (under !== undefined) return under
    if (!leadership.held()) return Promise.resolve()
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
      unwatch = leadership.watch((held) => {
        if (!held) return
        catchUp = Promise.all(Object.entries(jobs).map(([name, job]) => run(name, job))).then(() => undefined)
      })
      return Promise.resolve()
    },
    caughtUp: () => catchUp,
    async stop() {
      unwatch?.()
      for (const task of tasks) await task.stop()
      tasks.length = 0
      await Promise.all(running.values())
    },
  }
}
