import { findContact } from '../db/repos/contacts.js'
import { enqueueDelivery } from '../db/repos/deliveries.js'
import { claimJobRun } from '../db/repos/job-runs.js'
import type { Work } from './work.js'
import { assertTransition } from './lifecycle.js'
import type { DeskAlert } from './delivery.js'
import { textFor } from './templates.js'
import { fillTemplate } from './texts.js'
import type { HelpDeskDeps } from './desk-deps.js'
import type { TicketSteps } from './ticket-steps.js'
import type { AutoSolved, SlaBreach, SlaWarning } from './ticket-facts.js'

/** What the scheduler does to tickets: close, SLA alerts, reminders, automatic solves, once-a-period notices. */
export function createAutomations(deps: HelpDeskDeps, work: Work, steps: TicketSteps) {
  const { texts } = deps
  const { inTransaction, requireTicket } = work
  const { changeStatus, postSystemLine, recordOnce, sendAutomatic } = steps

  return {
    /** Closes a solved ticket for good (automation). */
    async close(ticketId: number): Promise<void> {
      await inTransaction(async (tx, now) => {
        const ticket = await requireTicket(tx, ticketId)
        assertTransition(ticket.id, ticket.status, 'closed')
        await changeStatus(tx, ticket, 'closed', { actor: 'system' }, now)
        await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
      })
    },

    /**
     * Says an SLA alert in the ticket's thread, once: `key` names the clock's run (a clock and
     * when it started), so each run warns once and breaches once.
     */
    async slaAlert(ticketId: number, key: string, alert: SlaWarning | SlaBreach): Promise<boolean> {
      return inTransaction(async (tx, now) => {
        if (!(await recordOnce(tx, ticketId, alert.kind, key, now))) return false
        await postSystemLine(tx, ticketId, alert, now)
        await enqueueDelivery(tx, ticketId, { type: 'desk.update' }, now)
        return true
      })
    },

    /** Reminds the customer of a pending ticket, once per time it went pending. */
    async remindPending(ticketId: number, pendingSince: string): Promise<boolean> {
      return inTransaction(async (tx, now) => {
        const ticket = await requireTicket(tx, ticketId)
        if (ticket.status !== 'pending') return false
        if (!(await recordOnce(tx, ticketId, 'pending_reminder', pendingSince, now))) return false
        const contact = await findContact(tx, ticket.contact_id)
        const reminder = await textFor(tx, 'pendingReminder', contact?.language ?? null, texts)
        const vars = { 'ticket.number': String(ticketId), 'customer.name': contact?.display_name ?? '' }
        await sendAutomatic(tx, ticketId, fillTemplate(reminder, vars), now)
        return true
      })
    },

    /** Solves a ticket that waited too long for the customer; says why in the thread. */
    async autoSolve(ticketId: number, why: AutoSolved): Promise<boolean> {
      return inTransaction(async (tx, now) => {
        const ticket = await requireTicket(tx, ticketId)
        if (ticket.status !== 'pending') return false
        await changeStatus(tx, ticket, 'solved', { actor: 'system' }, now)
        await postSystemLine(tx, ticketId, why, now)
        await enqueueDelivery(tx, ticketId, { type: 'desk.update' }, now)
        return true
      })
    },

    /** Tells the support channel once per (job, period): a digest that already went out is not sent again. */
    async notifyOnce(job: string, period: string, alert: DeskAlert): Promise<boolean> {
      return inTransaction(async (tx, now) => {
        if (!(await claimJobRun(tx, job, period, now))) return false
        await enqueueDelivery(tx, null, { type: 'desk.alert', alert }, now)
        return true
      })
    },
  }
}

export type Automations = ReturnType<typeof createAutomations>
