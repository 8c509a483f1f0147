import { pendingSince, solvedBy } from '../../db/repos/ticket-deadlines.js'
import type { JobDeps } from './deps.js'

/**
 * The lifecycle rules: remind the customer of a pending ticket, solve it when they never answer,
 * close solved tickets. Deadlines are counted from when a ticket entered its status, so a run
 * after downtime acts on everything overdue, once: a ticket past both pending deadlines is solved
 * without a late reminder first.
 */
export async function runLifecycle(deps: JobDeps, now: Date): Promise<void> {
  const { db, helpdesk, automations: rules, log } = deps
  const t = now.getTime()

  if (rules.pendingRemindMs !== null || rules.pendingSolveMs !== null) {
    for (const { id, since } of await pendingSince(db)) {
      const waited = t - new Date(since).getTime()
      try {
        if (rules.pendingSolveMs !== null && waited >= rules.pendingSolveMs) {
          const days = Math.round(rules.pendingSolveMs / 86_400_000)
          await helpdesk.autoSolve(id, { kind: 'auto_solved', reason: 'customer_silent', days })
        } else if (rules.pendingRemindMs !== null && waited >= rules.pendingRemindMs) {
          await helpdesk.remindPending(id, since)
        }
      } catch (error) {
        log.warn({ ticket: id, err: error }, 'pending rule skipped')
      }
    }
  }

  if (rules.solvedCloseMs !== null) {
    const due = new Date(t - rules.solvedCloseMs).toISOString()
    for (const id of await solvedBy(db, due)) {
      // An agent may have reopened it since the query: close() checks again and refuses.
      await helpdesk.close(id).catch((error: unknown) => log.warn({ ticket: id, err: error }, 'not closed'))
    }
  }
}
