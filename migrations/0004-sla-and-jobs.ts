import type { Kysely } from 'kysely'

// SLA clocks: each ticket has a priority (its policy) and, between an agent's reply and the
// next, the moment the customer started waiting again. Periodic jobs that act once per period
// (the daily digest) remember what they did in job_runs.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tickets')
    .addColumn('priority', 'text', (c) => c.notNull().defaultTo('normal'))
    .execute()
  await db.schema.alterTable('tickets').addColumn('awaiting_reply_since', 'text').execute()
  await db.schema
    .createTable('job_runs')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('ran_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_runs_pk', ['job', 'period'])
    .execute()
  // SLA alerts and automations ask whether a ticket already had an event of a kind.
  await db.schema
    .createIndex('events_ticket_action')
    .on('events')
    .columns(['ticket_id', 'action', 'id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_ticket_action').execute()
  await db.schema.dropTable('job_runs').execute()
  await db.schema.alterTable('tickets').dropColumn('awaiting_reply_since').execute()
  await db.schema.alterTable('tickets').dropColumn('priority').execute()
}
