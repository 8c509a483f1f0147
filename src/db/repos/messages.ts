import type { Channel } from '../../core/model.js'
import type { ThreadRef } from '../../core/ports.js'
import { compiledOnce, onlyRow } from '../compiled-once.js'
import type { Db } from '../connection.js'
import type { Message, MessagesTable } from '../schema.js'
import { sql, type Insertable } from 'kysely'

/** Every column of a new message: the compiled insert names them all, whatever the caller left out. */
type MessageRow = Omit<Message, 'id'>

const insertRow = compiledOnce((db, m: MessageRow) =>
  db
    .insertInto('messages')
    .values({
      ticket_id: m.ticket_id,
      direction: m.direction,
      kind: m.kind,
      text: m.text,
      agent_id: m.agent_id,
      external_id: m.external_id,
      desk_ts: m.desk_ts,
      created_at: m.created_at,
      delivered_at: m.delivered_at,
      delivery_status: m.delivery_status,
      template: m.template,
    })
    .returningAll(),
)

export async function insertMessage(db: Db, m: Insertable<MessagesTable>): Promise<Message> {
  // None of the columns left out has a default: null is what leaving it out stored.
  const row: MessageRow = {
    ticket_id: m.ticket_id,
    direction: m.direction,
    kind: m.kind,
    text: m.text,
    agent_id: m.agent_id ?? null,
    external_id: m.external_id ?? null,
    desk_ts: m.desk_ts ?? null,
    created_at: m.created_at,
    delivered_at: m.delivered_at ?? null,
    delivery_status: m.delivery_status ?? null,
    template: m.template ?? null,
  }
  return onlyRow(await insertRow(db, row), 'insertMessage')
}

const messageById = compiledOnce((db, m: { id: number }) =>
  db.selectFrom('messages').selectAll().where('id', '=', m.id),
)

export async function findMessage(db: Db, id: number): Promise<Message | undefined> {
  return (await messageById(db, { id })).rows[0]
}

export async function messagesOf(db: Db, ticketId: number): Promise<Message[]> {
  return db.selectFrom('messages').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute()
}

/** The agent's reply that a post in a ticket's thread is; undefined when the post is no reply. */
export async function agentReplyAt(db: Db, post: ThreadRef): Promise<Message | undefined> {
  return db
    .selectFrom('messages')
    .innerJoin('tickets', 'tickets.id', 'messages.ticket_id')
    .selectAll('messages')
    .where('tickets.thread_channel', '=', post.channel)
    .where('messages.desk_ts', '=', post.ts)
    .where('messages.direction', '=', 'outbound')
    .executeTakeFirst()
}

/** Replaces the text of a message (an agent edited their reply before it left). */
export async function setMessageText(db: Db, id: number, text: string): Promise<void> {
  await db.updateTable('messages').set({ text }).where('id', '=', id).execute()
}

/** The first message the customer wrote on a ticket. */
export async function firstInboundOf(db: Db, ticketId: number): Promise<Message | undefined> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('direction', '=', 'inbound')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
}

const markSent = compiledOnce((db, m: { id: number; externalId: string | null; at: string }) =>
  db
    .updateTable('messages')
    .set({
      external_id: m.externalId,
      delivered_at: m.at,
      delivery_status: sql<Message['delivery_status']>`coalesce(delivery_status, 'sent')`,
    })
    .where('id', '=', m.id),
)

/**
 * Records that a reply left: the platform's id for it and when. Its status becomes `sent` unless a
 * status report overtook the send; that report knows better.
 */
export async function markMessageSent(
  db: Db,
  id: number,
  externalId: string | null,
  at: string,
): Promise<void> {
  await markSent(db, { id, externalId, at })
}

/** Records the Slack ts of a message's post in its ticket's thread. */
export async function setDeskTs(db: Db, id: number, ts: string): Promise<void> {
  await db.updateTable('messages').set({ desk_ts: ts }).where('id', '=', id).execute()
}

/** The reply a channel knows by this id, with what the platform last reported about it. */
export async function replyByExternalId(
  db: Db,
  channel: Channel,
  externalId: string,
): Promise<Pick<Message, 'id' | 'ticket_id' | 'delivery_status'> | undefined> {
  // The direction is written into the text, so that both databases can take the index of replies' ids.
  return db
    .selectFrom('messages')
    .innerJoin('tickets', 'tickets.id', 'messages.ticket_id')
    .select(['messages.id', 'messages.ticket_id', 'messages.delivery_status'])
    .where('messages.external_id', '=', externalId)
    .where('messages.direction', '=', sql.lit('outbound'))
    .where('tickets.channel', '=', channel)
    .executeTakeFirst()
}

/** Records where a reply stands: what the platform last reported, or that its send was cancelled. */
export async function setDeliveryStatus(
  db: Db,
  id: number,
  status: NonNullable<Message['delivery_status']>,
): Promise<void> {
  await db.updateTable('messages').set({ delivery_status: status }).where('id', '=', id).execute()
}
