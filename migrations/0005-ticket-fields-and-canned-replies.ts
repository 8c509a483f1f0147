import type { Kysely } from 'kysely'

// Ticket depth: a type and a topic on each ticket, any number of tags, and the team's canned
// replies. Priority already exists (0004).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('type', 'text').execute()
  await db.schema.alterTable('tickets').addColumn('topic', 'text').execute()
  await db.schema
    .createTable('ticket_tags')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_tags_pk', ['ticket_id', 'tag'])
    .execute()
  await db.schema.createIndex('ticket_tags_tag').on('ticket_tags').columns(['tag', 'ticket_id']).execute()
  await db.schema
    .createTable('canned_replies')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('agents.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('canned_replies').execute()
  await db.schema.dropTable('ticket_tags').execute()
  await db.schema.alterTable('tickets').dropColumn('topic').execute()
  await db.schema.alterTable('tickets').dropColumn('type').execute()
}
