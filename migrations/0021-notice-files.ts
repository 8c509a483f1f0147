import { PostgresAdapter, type Kysely } from 'kysely'

// A report's charts and CSV were queued inside their delivery's JSON, in base64: a month's CSV at a
// million tickets made a row of several megabytes, read and parsed each time the outbox looked at
// the queue. The bytes now wait in a table of their own, read once, when they are posted.
export async function up(db: Kysely<any>): Promise<void> {
  const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob'
  await db.schema
    .createTable('notice_files')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('bytes', bytes, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notice_files').execute()
}
