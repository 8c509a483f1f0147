import { sql, type RawBuilder } from 'kysely'
import { onPostgres, type Db } from './connection.js'

// The few places where SQLite and PostgreSQL spell the same thing differently.

/** One top-level field of a JSON text column, as text (null when it is absent). */
export function jsonField(db: Db, column: string, field: string): RawBuilder<string | null> {
  if (!/^\w+$/.test(field)) throw new Error(`not a plain JSON field name: ${field}`)
  return onPostgres(db)
    ? sql<string | null>`(${sql.ref(column)}::json ->> ${sql.lit(field)})`
    : sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${field}`)})`
}
