/**
 * The bench on PostgreSQL, when there is one: TEST_DATABASE_URL names the server
 * (`scripts/with-postgres.sh npm run bench` starts a throwaway one). A measure gets a schema of its
 * own, filled with a copy of the SQLite database it seeded, so both engines answer over the same rows.
 * Bench only: nothing here is built into dist/.
 */
import Sqlite from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { openDatabase } from '../src/db/connection.js'
import { migrateToLatest } from '../src/db/migrate.js'

/** The PostgreSQL server to measure on, if any. */
export function benchServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.TEST_DATABASE_URL
  return url === undefined || url === '' ? undefined : url
}

/** What a PostgreSQL row says when there is no server to measure on. */
export const NOT_RUN = 'not run: no PostgreSQL (`scripts/with-postgres.sh npm run bench` starts one)'

export interface BenchSchema {
  /** DATABASE_URL for the bot: the server, with the schema as its search_path. */
  readonly url: string
  drop(): Promise<void>
}

async function onServer<T>(server: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** A new schema on the server for one measure, and how to drop it. */
export async function benchSchema(server: string, name: string): Promise<BenchSchema> {
  const schema = `bench_${name.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`
  await onServer(server, (c) => c.query(`create schema ${schema}`))
  const url = new URL(server)
  url.searchParams.set('options', `-c search_path=${schema}`)
  // %20, not +, for spaces: libpq reads a + as a +.
  url.search = url.searchParams.toString().replace(/\+/g, '%20')
  return {
    url: url.toString(),
    drop: async () => {
      await onServer(server, (c) => c.query(`drop schema ${schema} cascade`))
    },
  }
}

/** Referenced by the others: copied first. */
const FIRST = ['agents', 'contacts', 'tickets']
/** Rows per statement. */
const BATCH = 5_000

export interface Copied {
  readonly rows: number
  readonly seconds: number
}

/**
 * The product's migrations on the schema, then every row of the SQLite file, a few thousand per
 * statement (`json_populate_recordset` turns each batch into the table's own row type), then what
 * autovacuum would do after a bulk load (the planner's statistics, GIN's pending entries merged).
 */
export async function copyToPostgres(sqliteFile: string, url: string): Promise<Copied> {
  const t0 = performance.now()
  const db = openDatabase(url)
  try {
    await migrateToLatest(db)
  } finally {
    await db.destroy()
  }
  const raw = new Sqlite(sqliteFile, { readonly: true })
  let rows = 0
  try {
    const names = raw
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' and name not like 'ticket_search%'",
      )
      .pluck()
      .all() as string[]
    const tables = [...FIRST, ...names.filter((n) => !FIRST.includes(n)).sort()]
    await onServer(url, async (client) => {
      for (const table of tables) {
        let batch: unknown[] = []
        const flush = async () => {
          if (batch.length === 0) return
          await client.query(
            `insert into ${table} select * from json_populate_recordset(null::${table}, $1)`,
            [JSON.stringify(batch)],
          )
          rows += batch.length
          batch = []
        }
        for (const row of raw.prepare(`select * from ${table}`).iterate()) {
          batch.push(row)
          if (batch.length >= BATCH) await flush()
        }
        await flush()
      }
      const { rows: identities } = await client.query<{ table: string; column: string }>(
        `select table_name as table, column_name as column from information_schema.columns
         where table_schema = current_schema() and is_identity = 'YES'`,
      )
      for (const { table, column } of identities)
        await client.query(
          `select setval(pg_get_serial_sequence($1, $2), coalesce(max(${column}), 0) + 1, false) from ${table}`,
          [table, column],
        )
      await client.query(`vacuum analyze ${tables.join(', ')}`)
    })
  } finally {
    raw.close()
  }
  return { rows, seconds: (performance.now() - t0) / 1000 }
}
