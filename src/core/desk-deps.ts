import type { Db } from '../db/connection.js'
import type { AssignmentPolicy } from './assignment.js'
import type { Clock } from './clock.js'
import type { BusinessHours } from './hours.js'
import type { Channel, TicketId } from './model.js'
import type { ChannelTraits } from './ports.js'
import type { CustomerTexts } from './texts.js'
import type { FileLimits } from './files.js'

/** What the ticket operations need; the intake, agent actions and automations share it. */
export interface HelpDeskDeps {
  readonly db: Db
  readonly clock: Clock
  readonly texts: CustomerTexts
  /** Business hours: customers who write while the team is away are told when it is back. */
  readonly hours?: BusinessHours
  /** Auto-assignment of new tickets; off when absent. */
  readonly assignment?: AssignmentPolicy
  /** Whether each new ticket's customer is looked up at CUSTOMER_INFO_URL. */
  readonly lookUpCustomers?: boolean
  /** What each enabled channel allows (reply windows, templates). */
  readonly traits?: ReadonlyMap<Channel, ChannelTraits>
  /** A channel's name as people read it (`Telegram`); the id when not given. */
  readonly labelOf?: (channel: Channel) => string
  /** Called after a transaction queued deliveries, so the outbox can start at once. */
  readonly onQueued?: () => void
  /** REPLY_DELAY_S: how long a reply typed in a thread waits, so deleting it in Slack takes it back. */
  readonly replyDelayMs?: number
  /** MAX_ATTACHMENT_MB and ATTACHMENT_TYPES: what an agent's files must pass before a reply is queued. */
  readonly fileLimits?: FileLimits
  /** The triage menu and who may open tickets; without it, no menu and everyone may. */
  readonly intake?: IntakePolicy
  /**
   * Whether the desk's door lets in someone the roles table does not know (a member of the agent
   * group): tickets are assigned to them too. Without it, only the roles table's agents.
   */
  readonly mayWork?: (deskUserId: string) => Promise<boolean>
}

/** INTAKE, INTAKE_URGENCY, CONTACT_POLICY and CONTACT_ALLOWLIST, as the intake uses them. */
export interface IntakePolicy {
  /** The kinds of request the menu offers (TICKET_TYPES); with `urgency`, a second menu sets the priority. */
  readonly menu?: { readonly types: readonly string[]; readonly urgency: boolean }
  readonly contactPolicy: 'open' | 'known'
  /** `channel:id` of contacts let in under `known`. */
  readonly allowList: readonly string[]
}

/** What an action did, in words for the agent who asked. */
export interface Outcome {
  readonly ticketId: TicketId
  readonly text: string
}

/** An assignment made: the ticket and who has it now (a desk user id); the desk says it in its words. */
export interface Assignment {
  readonly ticketId: TicketId
  readonly assignee: string
}

/** The reactions that show a typed reply's undo window: waiting, then sent. */
export const UNDO_WAITING = 'hourglass_flowing_sand'
export const UNDO_SENT = 'white_check_mark'
