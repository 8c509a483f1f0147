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
  /** When the platform last told us something new of the contact (a name, a picture). */
  updated_at: string
  /** Set when the contact was let in under CONTACT_POLICY=known. */
  allowed_at: string | null
  /** Set while agents block the contact: their messages are kept, and open nothing. */
  blocked_at: string | null
  /** A deep link's reference, waiting for the contact's next ticket. */
  pending_reference: string | null
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
  /** Why a ticket was closed at birth: `unknown` for a contact CONTACT_POLICY=known does not let in. */
  closed_reason: string | null
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

/** How far a file got: waiting to travel, delivered, or refused (too large, a forbidden type, gone). */
export type AttachmentStatus = 'pending' | 'delivered' | 'refused'

export interface AttachmentsTable {
  id: Generated<number>
  message_id: number
  ticket_id: number
  /** `inbound`: from the customer to the thread; `outbound`: from an agent to the customer. */
  direction: 'inbound' | 'outbound'
  kind: MessageKind
  /** Where the bytes are fetched from, as the side that fetches them reads it (a platform's file id, a URL). */
  source: string
  name: string
  mime_type: string | null
  size: number | null
  /** Hex SHA-256 of the bytes, once they passed through. */
  sha256: string | null
  /** Where the bytes are kept under ATTACHMENT_DIR; null when they are not kept. */
  stored_path: string | null
  status: Generated<AttachmentStatus>
  /** Why the file was refused. */
  error: string | null
  created_at: string
  delivered_at: string | null
}

/** A file posted with a notice (a report's charts and CSV), kept until its delivery ends. */
export interface NoticeFilesTable {
  id: Generated<number>
  filename: string
  bytes: Buffer
  created_at: string
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

export interface ApiKeysTable {
  id: Generated<number>
  name: string
  /** SHA-256 of the key, hex: the key itself is shown once and never stored. */
  key_hash: string
  role: 'customer' | 'admin'
  /** The desk user id of the admin who created it. */
  created_by: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

export interface ApiIdempotencyTable {
  key_id: number
  idempotency_key: string
  /** SHA-256 of the method, path and body the key was first used with. */
  request_hash: string
  status: number
  /** The first answer's body, JSON. */
  body: string
  created_at: string
}

export interface WebhookEndpointsTable {
  id: Generated<number>
  url: string
  /** The event types it receives, JSON array. */
  events: string
  /** `whsec_…`: the endpoint's signing secret. */
  secret: string
  created_by: string
  created_at: string
  /** Since when every delivery to it fails; null while it answers. */
  failing_since: string | null
  last_error: string | null
  /** Set when it failed for WEBHOOK_DISABLE_AFTER: nothing is sent until an admin tests it again. */
  paused_at: string | null
  removed_at: string | null
}

export interface WebhookEventsTable {
  /** `evt_…`, the `webhook-id` every endpoint receives it under. */
  id: string
  ticket_id: number | null
  type: string
  /** The JSON body sent, exactly. */
  body: string
  created_at: string
}

/** A menu a customer was sent for one step of a ticket's intake (the kind of request, the urgency). */
export interface IntakePromptsTable {
  id: Generated<number>
  ticket_id: number
  contact_id: number
  step: string
  /** The values offered, JSON array, in the order shown. */
  options: string
  /** 1 when the menu went out as numbered text: a reply that is just a number answers it. */
  by_number: Generated<number>
  created_at: string
  answered_at: string | null
  answer: string | null
  /** Set when the menu stops taking answers without one (the customer wrote on instead). */
  closed_at: string | null
}

/** What the customer told about a ticket besides their messages: fields shown on the root card. */
export interface TicketAnswersTable {
  ticket_id: number
  field: string
  value: string
  created_at: string
}

/** A question asked after the customer picked a ticket type: one row per language ('' the default). */
export interface IntakeQuestionsTable {
  id: Generated<number>
  ticket_type: string
  /** The ticket field the answer is kept in (`order_number`). */
  field: string
  language: string
  text: string
  created_at: string
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
  attachments: AttachmentsTable
  api_keys: ApiKeysTable
  api_idempotency: ApiIdempotencyTable
  webhook_endpoints: WebhookEndpointsTable
  webhook_events: WebhookEventsTable
  intake_prompts: IntakePromptsTable
  ticket_answers: TicketAnswersTable
  intake_questions: IntakeQuestionsTable
  notice_files: NoticeFilesTable
}

export type Contact = Selectable<ContactsTable>
export type Agent = Selectable<AgentsTable>
export type Ticket = Selectable<TicketsTable>
export type Message = Selectable<MessagesTable>
export type TicketEvent = Selectable<EventsTable>
export type Delivery = Selectable<DeliveriesTable>
export type ReplyTemplate = Selectable<ReplyTemplatesTable>
export type TicketRule = Selectable<TicketRulesTable>
export type Attachment = Selectable<AttachmentsTable>
export type ApiKey = Selectable<ApiKeysTable>
export type WebhookEndpoint = Selectable<WebhookEndpointsTable>
export type IntakePrompt = Selectable<IntakePromptsTable>
export type IntakeQuestion = Selectable<IntakeQuestionsTable>
