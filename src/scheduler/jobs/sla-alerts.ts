import { evaluateClocks, slaFactsFrom } from '../../core/sla.js'
import { supervisorIds } from '../../db/repos/agents.js'
import { eventKey, eventKeysOf, statusChangesOfTickets } from '../../db/repos/events.js'
import { slaPage } from '../../db/repos/ticket-deadlines.js'
import { WORKING_STATUSES, type JobDeps } from './deps.js'

/**
 * Warns the assignee when a clock has used its warning share, and tells the assignee and the
 * supervisors when it breaches. Each run of each clock warns once and breaches once; after
 * downtime a clock that is already past its target only breaches. Tickets are read a page at a
 * time, with what was already said, so a pass over a large desk costs a few reads per page and a
 * write only for what is new.
 */
/** How many tickets one step of the pass reads at once. */
const PAGE = 500

export async function runSlaAlerts(deps: JobDeps, now: Date): Promise<void> {
  const { db, helpdesk, sla } = deps
  let supervisors: string[] | undefined
  for (let afterId = 0; ;) {
    // A page at a time, three reads each: the tickets, their status changes, the alerts already said.
    const tickets = await slaPage(db, WORKING_STATUSES, afterId, PAGE)
    const last = tickets.at(-1)
    if (last === undefined) return
    afterId = last.id
    const ids = tickets.map((t) => t.id)
    const changes = await statusChangesOfTickets(db, ids)
    const said = await eventKeysOf(db, ids, ['sla_warning', 'sla_breach'])

    for (const ticket of tickets) {
      const { id, assignee } = ticket
      const facts = slaFactsFrom(ticket, changes.get(id) ?? [], sla.pausedStatuses)
      for (const clock of evaluateClocks(facts, now, sla)) {
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
    if (tickets.length < PAGE) return
  }
}
