import type { Kysely } from 'kysely'

// Frozen in time: never import application code here, never edit once landed.

// Files that travel with a message, either way: what they are (name, type, size, sha-256 once the
// bytes passed through), where they come from (the platform's own reference, read by the adapter
// that fetches it) and how far they got. The bytes themselves are not kept here: at most a path
// under ATTACHMENT_DIR, cleared when the retention ends.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('message_id', 'integer', (c) => c.notNull().references('messages.id'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text')
    .addColumn('size', 'integer')
    .addColumn('sha256', 'text')
    .addColumn('stored_path', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute()
  await db.schema.createIndex('attachments_message').on('attachments').columns(['message_id', 'id']).execute()
  // The retention sweep reads the kept files oldest first.
  await db.schema.createIndex('attachments_stored').on('attachments').columns(['delivered_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('attachments_stored').execute()
  await db.schema.dropIndex('attachments_message').execute()
  await db.schema.dropTable('attachments').execute()
}
