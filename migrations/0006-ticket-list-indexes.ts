import type { Kysely } from 'kysely'

// /tickets lists newest first within a status, often narrowed by channel: these indexes let a
// list read its first rows in order instead of sorting every match (measured by npm run bench).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tickets_status_id').on('tickets').columns(['status', 'id']).execute()
  await db.schema
    .createIndex('tickets_channel_status_id')
    .on('tickets')
    .columns(['channel', 'status', 'id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_channel_status_id').execute()
  await db.schema.dropIndex('tickets_status_id').execute()
}
