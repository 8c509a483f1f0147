import { sql, type Kysely } from 'kysely'

// Frozen in time: never import application code here, never edit once landed.
// Timestamps are ISO-8601 UTC strings, which sort correctly as text on every dialect.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contacts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('username', 'text')
    .addColumn('language', 'text')
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('contacts_channel_external_id', ['channel', 'external_id'])
    .execute()

  await db.schema
    .createTable('agents')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('desk_user_id', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('agent'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('follow_up_of', 'integer', (c) => c.references('tickets.id'))
    .addColumn('thread_channel', 'text')
    .addColumn('thread_ts', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('first_response_at', 'text')
    .addColumn('last_customer_message_at', 'text')
    .addColumn('solved_at', 'text')
    .addColumn('closed_at', 'text')
    .execute()
  await db.schema.createIndex('tickets_contact').on('tickets').columns(['contact_id', 'id']).execute()
  await db.schema.createIndex('tickets_status').on('tickets').columns(['status', 'updated_at']).execute()
  await db.schema.createIndex('tickets_assignee').on('tickets').columns(['assignee_id', 'status']).execute()
  await db.schema
    .createIndex('tickets_thread')
    .on('tickets')
    .columns(['thread_channel', 'thread_ts'])
    .unique()
    .execute()

  await db.schema
    .createTable('messages')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('text'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('external_id', 'text')
    .addColumn('desk_ts', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute()
  await db.schema.createIndex('messages_ticket').on('messages').columns(['ticket_id', 'id']).execute()

  await db.schema
    .createTable('events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_value', 'text')
    .addColumn('to_value', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('events_ticket').on('events').columns(['ticket_id', 'id']).execute()

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('lane', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .execute()
  // The worker only ever reads queued rows, oldest first per (ticket, lane).
  await db.schema
    .createIndex('deliveries_queued')
    .on('deliveries')
    .columns(['ticket_id', 'lane', 'id'])
    .where(sql.ref('status'), '=', 'queued')
    .execute()

  await db.schema
    .createTable('processed_events')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('processed_events_pk', ['channel', 'external_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'processed_events',
    'deliveries',
    'events',
    'messages',
    'tickets',
    'agents',
    'contacts',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
