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
  /** Runs every job once now (catch-up after downtime) and then every minute. */
  start(): Promise<void>
  stop(): Promise<void>
}

/**
 * node-cron runs each job every minute. Jobs compare deadlines with the time they are given, so a
 * bot that was off over a deadline acts once when it comes back. A job never runs beside itself.
 */
export function createScheduler(deps: JobDeps, clock: Clock, log: Logger, jobs = JOBS): Scheduler {
  const running = new Set<string>()
  const tasks: ScheduledTask[] = []

  async function run(name: string, job: Job): Promise<void> {
    if (running.has(name)) return
    running.add(name)
    try {
      await job(deps, clock.now())
    } catch (error) {
      log.error({ job: name, err: error }, 'job failed')
    } finally {
      running.delete(name)
    }
  }

  return {
    async start() {
      await Promise.all(Object.entries(jobs).map(([name, job]) => run(name, job)))
      for (const [name, job] of Object.entries(jobs)) {
        tasks.push(cron.schedule('* * * * *', () => run(name, job), { name, noOverlap: true }))
      }
    },
    async stop() {
      for (const task of tasks) await task.stop()
      tasks.length = 0
    },
  }
}
