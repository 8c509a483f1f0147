import type { Kysely } from 'kysely'

// Reports read a period's tickets by when they were created, and a period's status changes and
// assignments by when they happened: without these a 30-day report scans every ticket and event.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tickets_created_at').on('tickets').columns(['created_at']).execute()
  await db.schema
    .createIndex('events_action_created_at')
    .on('events')
    .columns(['action', 'created_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_action_created_at').execute()
  await db.schema.dropIndex('tickets_created_at').execute()
}
