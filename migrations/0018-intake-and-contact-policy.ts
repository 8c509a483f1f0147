import type { Kysely } from 'kysely'

// Customers on their own app: who may open tickets (an allow-list mark, a block), why a ticket was
// closed at birth, the menus and questions a customer was asked, what they answered (intake
// questions, a deep link's reference) as fields of the ticket, and the questions admins set per
// ticket type, one row per language.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('allowed_at', 'text').execute()
  await db.schema.alterTable('contacts').addColumn('blocked_at', 'text').execute()
  // A deep link's reference (`/start ORDER-123`), kept until the contact's next ticket takes it.
  await db.schema.alterTable('contacts').addColumn('pending_reference', 'text').execute()
  await db.schema.alterTable('tickets').addColumn('closed_reason', 'text').execute()

  await db.schema
    .createTable('intake_prompts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('by_number', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .addColumn('answer', 'text')
    .addColumn('closed_at', 'text')
    .execute()
  await db.schema
    .createIndex('intake_prompts_ticket')
    .on('intake_prompts')
    .columns(['ticket_id', 'step'])
    .unique()
    .execute()

  await db.schema
    .createTable('ticket_answers')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_answers_pk', ['ticket_id', 'field'])
    .execute()

  await db.schema
    .createTable('intake_questions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('ticket_type', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('intake_questions_unique')
    .on('intake_questions')
    .columns(['ticket_type', 'field', 'language'])
    .unique()
    .execute()

  await db.schema
    .createIndex('tickets_closed_reason')
    .on('tickets')
    .columns(['closed_reason', 'created_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_closed_reason').execute()
  await db.schema.dropTable('intake_questions').execute()
  await db.schema.dropTable('ticket_answers').execute()
  await db.schema.dropTable('intake_prompts').execute()
  await db.schema.alterTable('tickets').dropColumn('closed_reason').execute()
  await db.schema.alterTable('contacts').dropColumn('pending_reference').execute()
  await db.schema.alterTable('contacts').dropColumn('blocked_at').execute()
  await db.schema.alterTable('contacts').dropColumn('allowed_at').execute()
}
