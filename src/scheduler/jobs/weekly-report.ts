import { DateTime } from 'luxon'
import { periodNamed } from '../../core/report-request.js'
import type { JobDeps } from './deps.js'

/**
 * With REPORT_WEEKLY (`mon 09:00`): once a week at that local time, the report of the seven days
 * before, with its charts, in the support channel. Posted once per week, also when the bot was off
 * at that time and comes back later that day.
 */
export async function runWeeklyReport(deps: JobDeps, now: Date): Promise<void> {
  const { automations, sla, reports } = deps
  const weekly = automations.weeklyReport
  if (weekly === null || reports === undefined) return
  const local = DateTime.fromJSDate(now, { zone: sla.hours.zone })
  const [hh = 9, mm = 0] = weekly.at.split(':').map(Number)
  // This week's moment: the weekday of the current ISO week, or last week's if it is yet to come.
  let due = local.set({ weekday: weekly.weekday as 1, hour: hh, minute: mm, second: 0, millisecond: 0 })
  if (due > local) due = due.minus({ weeks: 1 })
  // Only on its day: a bot that was off over it does not post a stale week days later.
  if (!due.hasSame(local, 'day')) return
  const day = due.startOf('day')
  const name = `${day.minus({ days: 7 }).toISODate()}..${day.minus({ days: 1 }).toISODate()}`
  const report = await reports.service.build(periodNamed(name, now, sla.hours.zone), {})
  const { text, files } = await reports.present(report)
  await reports.service.shareOnce('weekly-report', due.toISODate() ?? name, text, files)
}
