import type { Channel } from '../../core/model.js'
import type { Db } from '../connection.js'
import type { Contact, Message } from '../schema.js'

export async function findContactByExternalId(
  db: Db,
  channel: Channel,
  externalId: string,
): Promise<Contact | undefined> {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('channel', '=', channel)
    .where('external_id', '=', externalId)
    .executeTakeFirst()
}

/** Replaces what else is known of a contact (email, phone), as JSON. */
export async function setContactMetadata(db: Db, contactId: number, metadata: string): Promise<void> {
  await db.updateTable('contacts').set({ metadata }).where('id', '=', contactId).execute()
}

/** The ids of a contact's tickets, newest first, older than `beforeId` when paging. */
export async function ticketIdsOfContact(
  db: Db,
  contactId: number,
  limit: number,
  beforeId?: number,
): Promise<{ ids: number[]; more: boolean }> {
  const rows = await db
    .selectFrom('tickets')
    .select('id')
    .where('contact_id', '=', contactId)
    .$if(beforeId !== undefined, (q) => q.where('id', '<', beforeId!))
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()
  return { ids: rows.slice(0, limit).map((r) => r.id), more: rows.length > limit }
}

/**
 * What the customer's side of a ticket holds: every message the customer wrote, and every reply
 * that left. Notes, system lines and replies not sent (waiting, withdrawn) are never in it.
 */
export async function publicMessagesOf(db: Db, ticketId: number): Promise<Message[]> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where((eb) =>
      eb.or([
        eb('direction', '=', 'inbound'),
        eb.and([eb('direction', '=', 'outbound'), eb('delivered_at', 'is not', null)]),
      ]),
    )
    .orderBy('id')
    .execute()
}
