import type { Kysely } from 'kysely'
import { sql } from 'kysely'

// Every customer message moves its ticket's updated_at and stores a message with the platform's id,
// and each index that holds either is one more page to write at every commit. Nothing reads tickets
// in updated_at order (status alone is served by tickets_status_id), and a message is only looked up
// by its platform id when it is a reply whose delivery the platform reports: the customers' own
// messages need not be in that index.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_status').execute()
  await db.schema.dropIndex('messages_external_id').execute()
  await db.schema
    .createIndex('messages_reply_external_id')
    .on('messages')
    .column('external_id')
    .where(sql.ref('direction'), '=', 'outbound')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_reply_external_id').execute()
  await db.schema.createIndex('messages_external_id').on('messages').column('external_id').execute()
  await db.schema.createIndex('tickets_status').on('tickets').columns(['status', 'updated_at']).execute()
}
