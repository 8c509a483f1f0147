import type { Db } from '../connection.js'
import type { Message, MessagesTable } from '../schema.js'
import type { Insertable } from 'kysely'

export async function insertMessage(db: Db, m: Insertable<MessagesTable>): Promise<Message> {
  return db.insertInto('messages').values(m).returningAll().executeTakeFirstOrThrow()
}

export async function findMessage(db: Db, id: number): Promise<Message | undefined> {
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function messagesOf(db: Db, ticketId: number): Promise<Message[]> {
  return db.selectFrom('messages').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute()
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
  await db
    .updateTable('messages')
    .set({ external_id: externalId, delivered_at: at })
    .where('id', '=', id)
    .execute()
  await db
    .updateTable('messages')
    .set({ delivery_status: 'sent' })
    .where('id', '=', id)
    .where('delivery_status', 'is', null)
    .execute()
}

/** Records the Slack ts of a message's post in its ticket's thread. */
export async function setDeskTs(db: Db, id: number, ts: string): Promise<void> {
  await db.updateTable('messages').set({ desk_ts: ts }).where('id', '=', id).execute()
}
