import { evaluateClocks, slaFacts } from '../../core/sla.js'
import { WORKING_STATUSES, type JobDeps } from './deps.js'

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
  ).map((a) => a.desk_user_id)

  for (const { id, assignee } of tickets) {
    const facts = await slaFacts(db, id, sla.pausedStatuses)
    if (facts === undefined) continue
    for (const clock of evaluateClocks(facts, now, sla)) {
      if (clock.paused) continue
      const key = `${clock.clock}@${clock.startedAt.toISOString()}`
      if (clock.breached) {
        await helpdesk.slaAlert(id, key, {
          kind: 'sla_breach',
          clock: clock.clock,
          targetMs: clock.targetMs,
          assignee,
          supervisors,
        })
      } else if (clock.elapsedMs >= sla.warnAt * clock.targetMs && clock.dueAt !== null) {
        await helpdesk.slaAlert(id, key, {
          kind: 'sla_warning',
          clock: clock.clock,
          dueAt: clock.dueAt.toISOString(),
          usedShare: sla.warnAt,
          assignee,
        })
      }
    }
  }
}
