import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject, onTestFinished } from 'vitest'
import { openDatabase, type Db } from '../../src/db/connection.js'
import { migrateToLatest } from '../../src/db/migrate.js'

/**
 * The server the suite runs on when TEST_DATABASE_URL=postgres://… is set (`npm run test:pg`);
 * without it every test gets SQLite in memory.
 */
const server = process.env.TEST_DATABASE_URL === '' ? undefined : process.env.TEST_DATABASE_URL

/** Whether this run of the suite is on PostgreSQL. */
export const testingOnPostgres = server !== undefined

let admin: pg.Pool | undefined

/** Runs `cleanup` when the current test ends; outside a test (beforeAll) the run's end does it. */
function whenTestEnds(cleanup: () => Promise<unknown>): void {
  try {
    onTestFinished(async () => {
      await cleanup()
    })
  } catch {
    // Not inside a test: test/helpers/postgres-run.ts drops what is left when the run ends.
  }
}

/**
 * A fresh, empty database for one test: `:memory:` on SQLite; on PostgreSQL a new schema on the
 * server, named in the URL's search_path and dropped when the test ends. Opening the URL twice
 * (a test that restarts the bot) finds the same data.
 */
export async function testDatabaseUrl(): Promise<string> {
  if (server === undefined) return ':memory:'
  // A test whose bot still holds a lock when it ends must not hang the drop: it is left to the run's end.
  admin ??= new pg.Pool({
    connectionString: server,
    max: 2,
    allowExitOnIdle: true,
    options: '-c lock_timeout=5s',
  })
  const pool = admin
  const schema = `${inject('postgresRun')}_${randomBytes(6).toString('hex')}`
  await pool.query(`create schema ${schema}`)
  whenTestEnds(() =>
    pool.query(`drop schema ${schema} cascade`).catch((error: unknown) => {
      process.stderr.write(`schema ${schema} is left for the end of the run: ${String(error)}\n`)
    }),
  )
  const url = new URL(server)
  url.searchParams.set('options', `-c search_path=${schema}`)
  // %20, not +, for spaces: libpq (psql, pg_dump) reads a + as a +.
  url.search = url.searchParams.toString().replace(/\+/g, '%20')
  return url.toString()
}

/** A fresh database with every migration applied: SQLite in memory, or a schema of its own on PostgreSQL. */
export async function memoryDb(): Promise<Db> {
  const db = openDatabase(await testDatabaseUrl())
  if (testingOnPostgres) whenTestEnds(() => db.destroy())
  await migrateToLatest(db)
  return db
}
