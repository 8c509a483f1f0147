import { DateTime } from 'luxon'
import type { Digest } from '../../core/delivery.js'
import { breachesOf, reportAt } from '../../core/report.js'
import { periodNamed } from '../../core/report-request.js'
import { countByStatus, longestWaiting } from '../../db/repos/ticket-stats.js'
import { WORKING_STATUSES, type JobDeps } from './deps.js'

const OLDEST_SHOWN = 5

/**
 * Each morning at the digest time, on days the team works: open tickets by status, yesterday's
 * figures as /report counts them, and the tickets waiting longest for an answer, gathered as figures the desk
 * words. Sent once per day, also when the bot was off at the digest time and comes back later
 * that day.
 */
export async function runDigest(deps: JobDeps, now: Date): Promise<void> {
  const { db, helpdesk, sla, automations } = deps
  if (automations.digestAt === null) return
  const { hours } = sla
  const local = DateTime.fromJSDate(now, { zone: hours.zone })
  const [hh = 8, mm = 0] = automations.digestAt.split(':').map(Number)
  const dueAt = local.set({ hour: hh, minute: mm, second: 0, millisecond: 0 })
  if (local < dueAt) return
  const startOfDay = local.startOf('day').toJSDate()
  const worksToday =
    hours.alwaysOpen ||
    DateTime.fromJSDate(hours.nextOpening(startOfDay), { zone: hours.zone }).hasSame(local, 'day')
  if (!worksToday) return

  const counts = await countByStatus(db, WORKING_STATUSES)
  const yesterday = await reportAt(db, sla, periodNamed('yesterday', now, hours.zone), {}, now)
  const waiting = await longestWaiting(db, OLDEST_SHOWN)

  const digest: Digest = {
    day: local.toISODate() ?? '',
    open: WORKING_STATUSES.map((status) => ({
      status,
      count: Number(counts.find((c) => c.status === status)?.n ?? 0),
    })),
    yesterday: {
      ...yesterday.totals,
      firstResponseMedianMs: yesterday.firstResponse.medianMs,
      breached: breachesOf(yesterday),
    },
    waiting: waiting.map((w) => ({
      ticketId: w.id,
      channel: w.channel,
      customer: w.display_name,
      since: w.since,
    })),
  }
  await helpdesk.notifyOnce('digest', digest.day, { kind: 'digest', digest })
}
