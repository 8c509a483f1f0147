import type { Generated, Selectable } from 'kysely'
import type {
  ActorType,
  AgentRole,
  Channel,
  DeliveryStatus,
  Lane,
  MessageDirection,
  MessageKind,
  Priority,
  TicketStatus,
} from '../core/model.js'
import type { DeliveryPayload } from '../core/delivery.js'

export interface ContactsTable {
  id: Generated<number>
  channel: Channel
  external_id: string
  display_name: string
  username: string | null
  language: string | null
  avatar_url: string | null
  metadata: Generated<string>
  created_at: string
  updated_at: string
}

export interface AgentsTable {
  id: Generated<number>
  desk_user_id: string
  display_name: string | null
  role: AgentRole
  created_at: string
  /** 1 while the agent takes new tickets. */
  on_shift: Generated<number>
  last_assigned_at: string | null
  /** Set when an admin took the agent's access away; they act no more until added again. */
  removed_at: string | null
}

export interface TicketsTable {
  id: Generated<number>
  contact_id: number
  channel: Channel
  status: TicketStatus
  priority: Generated<Priority>
  type: string | null
  topic: string | null
  /** The Slack channel of the ticket's thread, when a rule chose one other than the support channel. */
  desk_channel: string | null
  /** CustomerInfo as JSON: what CUSTOMER_INFO_URL said about the customer. */
  customer_info: string | null
  assignee_id: number | null
  subject: string
  follow_up_of: number | null
  thread_channel: string | null
  thread_ts: string | null
  created_at: string
  updated_at: string
  first_response_at: string | null
  last_customer_message_at: string | null
  /** Since when the customer waits for an answer after an agent replied (the next-response clock). */
  awaiting_reply_since: string | null
  solved_at: string | null
  closed_at: string | null
}

export interface MessagesTable {
  id: Generated<number>
  ticket_id: number
  direction: MessageDirection
  kind: MessageKind
  /** For a system line, its TicketFact as JSON (lines older than facts hold Slack text). */
  text: string
  agent_id: number | null
  external_id: string | null
  desk_ts: string | null
  created_at: string
  delivered_at: string | null
  /** What the platform last reported about a sent message. */
  delivery_status: 'sent' | 'delivered' | 'read' | 'failed' | 'cancelled' | null
  /** A TemplateMessage as JSON, when the message is a template. */
  template: string | null
}

export interface EventsTable {
  id: Generated<number>
  ticket_id: number
  actor_type: ActorType
  agent_id: number | null
  action: string
  from_value: string | null
  to_value: string | null
  created_at: string
}

export interface DeliveriesTable {
  id: Generated<number>
  ticket_id: number | null
  lane: Lane
  kind: DeliveryPayload['type']
  payload: string
  status: DeliveryStatus
  attempts: number
  next_attempt_at: string
  last_error: string | null
  created_at: string
  done_at: string | null
  /** 1 for the head of its (ticket, lane): the only row of the lane the worker may take. */
  ready: Generated<number>
  /** How many parts of a long message already left. */
  parts_sent: Generated<number>
  /** Since when this row keeps failing (cleared by nothing: a row that goes through is done). */
  failing_since: string | null
  /** The process working this row now (several processes on PostgreSQL), until `claimed_until`. */
  claimed_by: string | null
  /** When the claim lapses: past it, another process may take the row over. */
  claimed_until: string | null
}

export interface ProcessedEventsTable {
  channel: string
  external_id: string
  created_at: string
}

export interface TicketTagsTable {
  ticket_id: number
  tag: string
}

export interface CannedRepliesTable {
  id: Generated<number>
  name: string
  text: string
  created_by: number | null
  created_at: string
}

export interface ReplyTemplatesTable {
  key: string
  /** '' for the default. */
  language: string
  text: string
  updated_at: string
}

export interface TicketRulesTable {
  id: Generated<number>
  /** RuleConditions as JSON. */
  conditions: string
  /** RuleActions as JSON. */
  actions: string
  created_at: string
}

export interface JobRunsTable {
  job: string
  period: string
  ran_at: string
}

export interface HeartbeatsTable {
  name: string
  at: string
}

export interface Database {
  heartbeats: HeartbeatsTable
  contacts: ContactsTable
  agents: AgentsTable
  tickets: TicketsTable
  messages: MessagesTable
  events: EventsTable
  deliveries: DeliveriesTable
  processed_events: ProcessedEventsTable
  job_runs: JobRunsTable
  ticket_tags: TicketTagsTable
  canned_replies: CannedRepliesTable
  reply_templates: ReplyTemplatesTable
  ticket_rules: TicketRulesTable
}

export type Contact = Selectable<ContactsTable>
export type Agent = Selectable<AgentsTable>
export type Ticket = Selectable<TicketsTable>
export type Message = Selectable<MessagesTable>
export type TicketEvent = Selectable<EventsTable>
export type Delivery = Selectable<DeliveriesTable>
export type ReplyTemplate = Selectable<ReplyTemplatesTable>
export type TicketRule = Selectable<TicketRulesTable>
