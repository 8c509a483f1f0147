import { createAgentActions } from './agent-actions.js'
import { createAutomations } from './automations.js'
import type { HelpDeskDeps } from './desk-deps.js'
import { createIntake } from './intake.js'
import { createTicketSteps } from './ticket-steps.js'
import { createWork } from './work.js'

export type { Actor } from './actor.js'
export type { AgentActions } from './agent-actions.js'
export type { Automations } from './automations.js'
export { UNDO_SENT, UNDO_WAITING, type Assignment, type HelpDeskDeps, type Outcome } from './desk-deps.js'
export type { Intake } from './intake.js'
export type { Origin } from './work.js'

export type HelpDesk = ReturnType<typeof createHelpDesk>

/**
 * The ticket operations of threaddesk, by caller: the intake (adapters: customer messages,
 * delivery reports, notices), agent actions (the desk), automations (the scheduler). Every
 * operation is one transaction: the change, its audit events and the deliveries it causes are
 * stored together or not at all. Callers may depend on the one part they use.
 */
export function createHelpDesk(deps: HelpDeskDeps) {
  const work = createWork(deps)
  const steps = createTicketSteps(deps)
  return {
    ...createIntake(deps, work, steps),
    ...createAgentActions(deps, work, steps),
    ...createAutomations(deps, work, steps),
  }
}
