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
    const pending = await db
      .selectFrom('tickets as tk')
      .innerJoin('events as e', 'e.ticket_id', 'tk.id')
      .select(['tk.id', (eb) => eb.fn.max('e.created_at').as('since')])
      .where('tk.status', '=', 'pending')
      .where('e.action', '=', 'status')
      .where('e.to_value', '=', 'pending')
      .groupBy('tk.id')
      .execute()
    for (const { id, since } of pending) {
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
    const solved = await db
      .selectFrom('tickets')
      .select('id')
      .where('status', '=', 'solved')
      .where('solved_at', '<=', due)
      .execute()
    for (const { id } of solved) {
      // An agent may have reopened it since the query: close() checks again and refuses.
      await helpdesk.close(id).catch((error: unknown) => log.warn({ ticket: id, err: error }, 'not closed'))
    }
  }
}
