import type { Kysely } from 'kysely'

// A customer's picture (Instagram profile pictures), shown beside their messages in Slack.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('avatar_url', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').dropColumn('avatar_url').execute()
}
