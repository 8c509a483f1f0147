import type { TicketDetail } from '../db/repos/tickets.js'
import { parseCustomerInfo } from './customer-info.js'
import { asTicketId } from './model.js'
import type { TicketView } from './ports.js'

/** Turns a ticket row into what the desk shows. */
export function toTicketView(t: TicketDetail): TicketView {
  const customerInfo = parseCustomerInfo(t.customer_info)
  return {
    ...(customerInfo !== undefined && { customerInfo }),
    id: asTicketId(t.id),
    status: t.status,
    deskChannel: t.desk_channel,
    priority: t.priority,
    type: t.type,
    topic: t.topic,
    tags: t.tags,
    answers: t.answers.map((a) => [a.field, a.value] as const),
    customerBlocked: t.contact_blocked_at !== null,
    channel: t.channel,
    subject: t.subject,
    customer: { name: t.customer_name, username: t.customer_username, avatarUrl: t.customer_avatar_url },
    assignee: t.assignee_desk_user_id,
    followUpOf: t.follow_up_of === null ? null : asTicketId(t.follow_up_of),
    createdAt: new Date(t.created_at),
    thread:
      t.thread_channel !== null && t.thread_ts !== null
        ? { channel: t.thread_channel, ts: t.thread_ts }
        : null,
  }
}
