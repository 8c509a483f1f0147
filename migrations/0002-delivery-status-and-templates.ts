import type { Kysely } from 'kysely'

// Platforms report what became of a sent message (sent, delivered, read, failed), and WhatsApp
// replies may be templates. Status reports name the platform's message id: index it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('delivery_status', 'text').execute()
  await db.schema.alterTable('messages').addColumn('template', 'text').execute()
  await db.schema.createIndex('messages_external_id').on('messages').column('external_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_external_id').execute()
  await db.schema.alterTable('messages').dropColumn('template').execute()
  await db.schema.alterTable('messages').dropColumn('delivery_status').execute()
}
