import { evaluateClocks, slaFacts } from '../../core/sla.js'
import { supervisorIds } from '../../db/repos/agents.js'
import { ticketsWithAssignee } from '../../db/repos/ticket-deadlines.js'
import { WORKING_STATUSES, type JobDeps } from './deps.js'

/**
 * Warns the assignee when a clock has used its warning share, and tells the assignee and the
 * supervisors when it breaches. Each run of each clock warns once and breaches once; after
 * downtime a clock that is already past its target only breaches.
 */
export async function runSlaAlerts(deps: JobDeps, now: Date): Promise<void> {
  const { db, helpdesk, sla } = deps
  const tickets = await ticketsWithAssignee(db, WORKING_STATUSES)
  if (tickets.length === 0) return
  const supervisors = await supervisorIds(db)

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
