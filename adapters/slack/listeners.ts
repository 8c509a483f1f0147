import type { App } from '@slack/bolt'
import { createDoorContext, type ListenerDeps } from './doors/context.js'
import { registerThreadDoor } from './doors/thread.js'
import { registerAdminCommands } from './doors/admin-commands.js'
import { registerApiCommands } from './doors/api-commands.js'
import { registerIntakeCommands } from './doors/intake-commands.js'
import { registerLists } from './doors/lists.js'
import { registerReports } from './doors/reports.js'
import { registerHome } from './doors/home.js'
import type { HomePublisher } from './home-publisher.js'
import type { FollowUps } from './follow-ups.js'
import { registerTicketCommands } from './doors/ticket-commands.js'
import { registerButtons } from './doors/buttons.js'
import { registerShortcutsAndModals } from './doors/shortcuts-and-modals.js'
import { registerUndo } from './doors/undo.js'

export type { ListenerDeps } from './doors/context.js'

/**
 * Wires every door of docs/DESIGN.md into Bolt: thread replies, slash commands, lists, buttons,
 * shortcuts and modals, then the undo window. One context is built for all, so they share the
 * agent name cache and answer the agent the same way. Registration order is kept as it was:
 * Bolt starts every matching listener of an event in the order they were registered (the thread
 * door's message listener before the undo window's). Returns the work they left for after their
 * answers.
 */
export function registerListeners(app: App, deps: ListenerDeps, home: HomePublisher): FollowUps {
  const ctx = createDoorContext(app, deps)
  registerThreadDoor(app, ctx)
  registerAdminCommands(app, ctx)
  registerApiCommands(app, ctx)
  registerIntakeCommands(app, ctx)
  registerLists(app, ctx)
  registerReports(app, ctx)
  registerHome(app, ctx, home)
  registerTicketCommands(app, ctx)
  registerButtons(app, ctx)
  registerShortcutsAndModals(app, ctx)
  registerUndo(app, ctx)
  return ctx.followUps
}
