import type { Kysely } from 'kysely'

// What CUSTOMER_INFO_URL answered about a ticket's customer (JSON), or why it could not.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('customer_info', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').dropColumn('customer_info').execute()
}
