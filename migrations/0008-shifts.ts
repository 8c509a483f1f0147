import type { Kysely } from 'kysely'

// Auto-assignment: who is on shift, and when each agent last got a ticket (round-robin order).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('agents')
    .addColumn('on_shift', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('agents').addColumn('last_assigned_at', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agents').dropColumn('last_assigned_at').execute()
  await db.schema.alterTable('agents').dropColumn('on_shift').execute()
}
