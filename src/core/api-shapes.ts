import type { TicketDetail } from '../db/repos/tickets.js'
import type { Contact, Message } from '../db/schema.js'
import type { Priority, TicketStatus } from './model.js'

/** A contact as the API and webhooks show it. */
export interface ApiContact {
  readonly externalId: string
  readonly name: string
  readonly email: string | null
  readonly phone: string | null
  readonly language: string | null
}

/** A ticket as the API and webhooks show it. */
export interface ApiTicket {
  readonly id: number
  readonly status: TicketStatus
  readonly priority: Priority
  readonly type: string | null
  readonly subject: string
  readonly tags: readonly string[]
  readonly channel: string
  readonly contact: ApiContact
  /** The Slack user id of the agent who has it. */
  readonly assignee: string | null
  readonly followUpOf: number | null
  readonly createdAt: string
  readonly updatedAt: string
}

/** A public message: what the customer wrote, or a reply that left. */
export interface ApiMessage {
  readonly id: number
  readonly direction: 'inbound' | 'outbound'
  readonly text: string
  readonly createdAt: string
}

/** What else is known of a contact, kept in its metadata. */
export interface ContactDetails {
  readonly email?: string
  readonly phone?: string
}

export function contactDetails(contact: Pick<Contact, 'metadata'>): ContactDetails {
  try {
    const parsed = JSON.parse(contact.metadata) as Record<string, unknown>
    return {
      ...(typeof parsed.email === 'string' && { email: parsed.email }),
      ...(typeof parsed.phone === 'string' && { phone: parsed.phone }),
    }
  } catch {
    // Metadata written by hand or by an older version: the contact simply has no details.
    return {}
  }
}

export function toApiTicket(t: TicketDetail, contact: Contact): ApiTicket {
  const details = contactDetails(contact)
  return {
    id: t.id,
    status: t.status,
    priority: t.priority,
    type: t.type,
    subject: t.subject,
    tags: t.tags,
    channel: t.channel,
    contact: {
      externalId: contact.external_id,
      name: contact.display_name,
      email: details.email ?? null,
      phone: details.phone ?? null,
      language: contact.language,
    },
    assignee: t.assignee_desk_user_id,
    followUpOf: t.follow_up_of,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
  }
}

export function toApiMessage(m: Message): ApiMessage {
  return {
    id: m.id,
    direction: m.direction === 'inbound' ? 'inbound' : 'outbound',
    text: m.text,
    createdAt: m.created_at,
  }
}
