import { clockLabel, evaluateClocks, slaFacts } from '../../core/sla.js'
import { WORKING_STATUSES, type JobDeps } from './deps.js'

const hoursOf = (ms: number) =>
  ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 60_000)} min`

/**
 * Warns the assignee when a clock has used its warning share, and tells the assignee and the
 * supervisors when it breaches. Each run of each clock warns once and breaches once; after
 * downtime a clock that is already past its target only breaches.
 */
export async function runSlaAlerts(deps: JobDeps, now: Date): Promise<void> {
  const { db, helpdesk, sla } = deps
  const tickets = await db
    .selectFrom('tickets as t')
    .leftJoin('agents as a', 'a.id', 't.assignee_id')
    .select(['t.id', 'a.desk_user_id as assignee'])
    .where('t.status', 'in', [...WORKING_STATUSES])
    .execute()
  if (tickets.length === 0) return
  const supervisors = (
    await db
      .selectFrom('agents')
      .select('desk_user_id')
      .where('role', 'in', ['supervisor', 'admin'])
      .execute()
  ).map((a) => `<@${a.desk_user_id}>`)

  for (const ticket of tickets) {
    const facts = await slaFacts(db, ticket.id, sla.pausedStatuses)
    if (facts === undefined) continue
    for (const clock of evaluateClocks(facts, now, sla)) {
      if (clock.paused) continue
      const key = `${clock.clock}@${clock.startedAt.toISOString()}`
      const who = ticket.assignee === null ? 'Nobody is assigned.' : `<@${ticket.assignee}>`
      const label = clockLabel[clock.clock]
      if (clock.breached) {
        const mentions = [who, ...supervisors.filter((s) => s !== `<@${ticket.assignee}>`)].join(' ')
        const text = `:rotating_light: *${label} SLA breached* on #${ticket.id} (target ${hoursOf(clock.targetMs)} of working time). ${mentions}`
        await helpdesk.slaAlert(ticket.id, 'breach', key, text)
      } else if (clock.elapsedMs >= sla.warnAt * clock.targetMs && clock.dueAt !== null) {
        const text = `:hourglass_flowing_sand: *${label} due ${sla.hours.format(clock.dueAt)}* on #${ticket.id} (${Math.round(sla.warnAt * 100)} % of the target used). ${who}`
        await helpdesk.slaAlert(ticket.id, 'warning', key, text)
      }
    }
  }
}
