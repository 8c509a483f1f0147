import type { Kysely } from 'kysely'

// Admin-edited texts the bot sends on its own, per language ('' for the default), and the rules
// that set a new ticket's priority, type, tags or Slack channel. A ticket remembers the Slack
// channel its thread lives in when a rule sends it elsewhere than the support channel.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reply_templates')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reply_templates_pk', ['key', 'language'])
    .execute()
  await db.schema
    .createTable('ticket_rules')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.alterTable('tickets').addColumn('desk_channel', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').dropColumn('desk_channel').execute()
  await db.schema.dropTable('ticket_rules').execute()
  await db.schema.dropTable('reply_templates').execute()
}
