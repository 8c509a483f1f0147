import Sqlite from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { CompiledQuery, Kysely, PostgresAdapter } from 'kysely'
import type { Logger } from '../core/logger.js'
import { PostgresDialect } from './postgres-dialect.js'
import type { Database } from './schema.js'
import { BUSY_TIMEOUT_MS, SqliteDialect } from './sqlite-dialect.js'

export type Db = Kysely<Database>

/** Whether a DATABASE_URL names a PostgreSQL server (`postgres://…` or `postgresql://…`). */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url)

/** Whether `db` (or a transaction of it) runs on PostgreSQL; SQLite otherwise. */
export const onPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter

/**
 * Opens the database named by DATABASE_URL: `file:PATH` or `:memory:` for SQLite, `postgres://…`
 * for PostgreSQL (a pool; `log` hears of connections lost while idle).
 */
export function openDatabase(url: string, log?: Logger): Db {
  if (isPostgresUrl(url)) return new Kysely<Database>({ dialect: new PostgresDialect(url, log) })
  const path = sqlitePath(url)
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new Sqlite(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  // SQLite's own wait blocks the event loop: keep it short, and wait longer off the loop.
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
  sqlite.pragma('synchronous = NORMAL')
  // Group commit runs each caller's work in a savepoint, whose journal went to a temporary file:
  // in memory, the same 20,000 messages cost SQLite 2.0 s instead of 2.8.
  sqlite.pragma('temp_store = MEMORY')
  return new Kysely<Database>({ dialect: new SqliteDialect(sqlite) })
}

/** The SQLite file a DATABASE_URL names (`file:PATH`, a bare path, or `:memory:`). */
export function sqlitePath(url: string): string {
  return url === ':memory:' ? ':memory:' : url.replace(/^file:/, '')
}

const SAVEPOINT = CompiledQuery.raw('savepoint work')
const RELEASE = CompiledQuery.raw('release savepoint work')
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint work')

/**
 * The transaction around a savepoint ended under its work: SQLite ends the whole transaction on a
 * full disk or an I/O error, so nothing done in it is kept. `cause` is the error that ended it.
 */
export class TransactionLost extends Error {
  constructor(cause: unknown) {
    super('the transaction ended with the error of the work in one of its savepoints', { cause })
    this.name = 'TransactionLost'
  }
}

/**
 * Runs `work` in a savepoint of the transaction `tx`: when it throws, only what it did is undone.
 * Throws TransactionLost when its error ended the transaction itself.
 */
export async function inSavepoint<T>(tx: Db, work: () => Promise<T>): Promise<T> {
  // Written once: every message that arrives with others runs in one (two statements each).
  await tx.executeQuery(SAVEPOINT)
  try {
    const result = await work()
    await tx.executeQuery(RELEASE)
    return result
  } catch (error) {
    try {
      await tx.executeQuery(ROLLBACK_TO)
      await tx.executeQuery(RELEASE)
    } catch {
      // No savepoint to go back to: the transaction is gone, and with it what the others did.
      throw new TransactionLost(error)
    }
    throw error
  }
}
