import { workingClocks } from '../../core/sla-scan.js'
import { supervisorIds } from '../../db/repos/agents.js'
import { eventKey, eventKeysOf } from '../../db/repos/events.js'
import type { JobDeps } from './deps.js'

/**
 * Warns the assignee when a clock has used its warning share, and tells the assignee and the
 * supervisors when it breaches. Each run of each clock warns once and breaches once; after
 * downtime a clock that is already past its target only breaches. Tickets are read a page at a
 * time, with what was already said, so a pass over a large desk costs a few reads per page and a
 * write only for what is new.
 */
export async function runSlaAlerts(deps: JobDeps, now: Date): Promise<void> {
  const { db, helpdesk, sla } = deps
  let supervisors: string[] | undefined
  for await (const { ids, tickets } of workingClocks(db, sla, now)) {
    const said = await eventKeysOf(db, ids, ['sla_warning', 'sla_breach'])
    for (const { id, assignee, clocks } of tickets) {
      for (const clock of clocks) {
        if (clock.paused) continue
        const key = `${clock.clock}@${clock.startedAt.toISOString()}`
        if (clock.breached) {
          if (said.has(eventKey(id, 'sla_breach', key))) continue
          supervisors ??= await supervisorIds(db)
          await helpdesk.slaAlert(id, key, {
            kind: 'sla_breach',
            clock: clock.clock,
            targetMs: clock.targetMs,
            assignee,
            supervisors,
          })
        } else if (clock.elapsedMs >= sla.warnAt * clock.targetMs && clock.dueAt !== null) {
          if (said.has(eventKey(id, 'sla_warning', key))) continue
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
}
