import { sql, type Kysely } from 'kysely'

// The outbox works only the head of each (ticket, lane) and never gives up on a transient failure:
// - `ready` marks the head, so finding due work reads due heads only, never the rows queued behind them;
// - `parts_sent` lets a long message resume after the parts that already left;
// - `failing_since` dates the current run of failures, for the alert to supervisors.
// And `heartbeats`, which readiness writes to: a check that only reads passes on a full disk.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('deliveries')
    .addColumn('ready', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .alterTable('deliveries')
    .addColumn('parts_sent', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('deliveries').addColumn('failing_since', 'text').execute()
  await sql`
    update deliveries set ready = 1
    where status = 'queued'
      and id in (select min(id) from deliveries where status = 'queued' group by ticket_id, lane)
  `.execute(db)
  await db.schema
    .createIndex('deliveries_due')
    .on('deliveries')
    .column('next_attempt_at')
    .where(sql.ref('status'), '=', 'queued')
    .where(sql.ref('ready'), '=', 1)
    .execute()
  await db.schema
    .createTable('heartbeats')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('heartbeats').execute()
  await db.schema.dropIndex('deliveries_due').execute()
  await db.schema.alterTable('deliveries').dropColumn('failing_since').execute()
  await db.schema.alterTable('deliveries').dropColumn('parts_sent').execute()
  await db.schema.alterTable('deliveries').dropColumn('ready').execute()
}
