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
