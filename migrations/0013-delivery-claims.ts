import type { Kysely } from 'kysely'

// Several processes on one database: a delivery being worked is claimed by the process working it,
// until a lease runs out. Another process leaves a claimed row alone and takes it over once the
// lease has passed (its owner died). One process on SQLite never claims.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('claimed_by', 'text').execute()
  await db.schema.alterTable('deliveries').addColumn('claimed_until', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deliveries').dropColumn('claimed_until').execute()
  await db.schema.alterTable('deliveries').dropColumn('claimed_by').execute()
}
