import type { Kysely } from 'kysely'

// Taking access away: a removed agent keeps their row (their replies and assignments point at it)
// but acts no more until an admin adds them again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agents').addColumn('removed_at', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agents').dropColumn('removed_at').execute()
}
