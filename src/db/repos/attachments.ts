import type { MessageKind } from '../../core/model.js'
import { compiledOnce } from '../compiled-once.js'
import type { Db } from '../connection.js'
import type { Attachment } from '../schema.js'

/** A file to record with its message: what it is and where its bytes are fetched from. */
export interface NewAttachment {
  readonly kind: MessageKind
  readonly source: string
  readonly name: string
  readonly mimeType: string
  readonly size: number | null
}

/** Records the files of a message, in order; returns their ids. */
export async function insertAttachments(
  db: Db,
  message: { readonly id: number; readonly ticketId: number; readonly direction: 'inbound' | 'outbound' },
  files: readonly NewAttachment[],
  at: string,
): Promise<number[]> {
  const ids: number[] = []
  for (const f of files) {
    const row = await db
      .insertInto('attachments')
      .values({
        message_id: message.id,
        ticket_id: message.ticketId,
        direction: message.direction,
        kind: f.kind,
        source: f.source,
        name: f.name,
        mime_type: f.mimeType,
        size: f.size,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids.push(row.id)
  }
  return ids
}

export async function findAttachment(db: Db, id: number): Promise<Attachment | undefined> {
  return db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst()
}

const attachmentsOfMessage = compiledOnce((db, m: { messageId: number }) =>
  db.selectFrom('attachments').selectAll().where('message_id', '=', m.messageId).orderBy('id'),
)

/** The files of a message, in the order they came. */
export async function attachmentsOf(db: Db, messageId: number): Promise<Attachment[]> {
  return (await attachmentsOfMessage(db, { messageId })).rows
}

/** The files of a ticket, in the order they came. */
export async function attachmentsOfTicket(db: Db, ticketId: number): Promise<Attachment[]> {
  return db.selectFrom('attachments').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute()
}

/** Records that a file's bytes passed through: their size and hash, and where they are kept (if they are). */
export async function markAttachmentDelivered(
  db: Db,
  id: number,
  done: { readonly size: number; readonly sha256: string; readonly storedPath: string | null },
  at: string,
): Promise<void> {
  await db
    .updateTable('attachments')
    .set({
      status: 'delivered',
      size: done.size,
      sha256: done.sha256,
      stored_path: done.storedPath,
      delivered_at: at,
    })
    .where('id', '=', id)
    .execute()
}

/** Records that a file did not travel, and why. */
export async function markAttachmentRefused(db: Db, id: number, reason: string): Promise<void> {
  await db.updateTable('attachments').set({ status: 'refused', error: reason }).where('id', '=', id).execute()
}

/** Kept files delivered before `before`, oldest first: what the retention lets go. */
export async function keptAttachmentsBefore(
  db: Db,
  before: string,
  limit: number,
): Promise<Pick<Attachment, 'id' | 'stored_path'>[]> {
  return db
    .selectFrom('attachments')
    .select(['id', 'stored_path'])
    .where('stored_path', 'is not', null)
    .where('delivered_at', '<', before)
    .orderBy('delivered_at')
    .limit(limit)
    .execute()
}

/** Records that a kept file's bytes are gone. */
export async function forgetStoredFile(db: Db, id: number): Promise<void> {
  await db.updateTable('attachments').set({ stored_path: null }).where('id', '=', id).execute()
}
