import { setTimeout as sleep } from 'node:timers/promises'
import type BetterSqlite3 from 'better-sqlite3'
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely'
import { growingDelay } from '../core/backoff.js'

/** How long a statement may wait, in all, for another process (a backup, a second writer) to let go. */
const BUSY_WAIT_MS = 5_000
/** How long SQLite itself may block the event loop on a lock before we take over and wait asynchronously. */
export const BUSY_TIMEOUT_MS = 20
const STATEMENT_CACHE_SIZE = 500

const isBusy = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED'
}

/**
 * The one connection to a better-sqlite3 database. A statement that meets a lock held by another
 * process is tried again after an asynchronous pause, so the event loop keeps answering (Slack's
 * 3 s deadline) while it waits. Prepared statements are kept and reused.
 */
class SqliteConnection implements DatabaseConnection {
  readonly #db: BetterSqlite3.Database
  readonly #statements = new Map<string, BetterSqlite3.Statement>()

  constructor(db: BetterSqlite3.Database) {
    this.#db = db
  }

  #prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql)
    if (statement === undefined) {
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.clear()
      statement = this.#db.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }

  #run<R>(query: CompiledQuery): QueryResult<R> {
    const statement = this.#prepare(query.sql)
    const parameters = query.parameters as unknown[]
    if (statement.reader) return { rows: statement.all(parameters) as R[] }
    const { changes, lastInsertRowid } = statement.run(parameters)
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] }
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const started = Date.now()
    for (let attempt = 0; ; attempt++) {
      try {
        return this.#run<R>(query)
      } catch (error) {
        // Safe to repeat: a statement refused for a lock did nothing, and in a transaction only its
        // BEGIN IMMEDIATE or COMMIT can meet one, and both may be tried again.
        if (!isBusy(error) || Date.now() - started >= BUSY_WAIT_MS) throw error
        await sleep(growingDelay(attempt + 1, 1, 100))
      }
    }
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    for (const row of this.#prepare(query.sql).iterate(query.parameters)) {
      yield { rows: [row as R] }
    }
  }
}

/** SQLite has one connection: a queue hands it to one caller at a time. */
class SqliteDriver implements Driver {
  readonly #db: BetterSqlite3.Database
  readonly #connection: SqliteConnection
  #tail: Promise<void> = Promise.resolve()
  #release: (() => void) | undefined

  constructor(db: BetterSqlite3.Database) {
    this.#db = db
    this.#connection = new SqliteConnection(db)
  }

  init(): Promise<void> {
    return Promise.resolve()
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#tail
    let release!: () => void
    this.#tail = new Promise((resolve) => (release = resolve))
    await previous
    this.#release = release
    return this.#connection
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // IMMEDIATE takes the write lock at once: a busy database is met here, where waiting is safe,
    // never halfway through a transaction.
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // SQLite has already rolled it back itself on a full disk or an I/O error; a rollback would
    // fail and its error would take the place of the one that says what happened.
    if (!this.#db.inTransaction) return
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  releaseConnection(): Promise<void> {
    const release = this.#release
    this.#release = undefined
    release?.()
    return Promise.resolve()
  }

  destroy(): Promise<void> {
    this.#db.close()
    return Promise.resolve()
  }
}

/** kysely's SQLite dialect, with our driver: waits for locks off the event loop and reuses statements. */
export class SqliteDialect implements Dialect {
  readonly #db: BetterSqlite3.Database

  constructor(db: BetterSqlite3.Database) {
    this.#db = db
  }

  createDriver(): Driver {
    return new SqliteDriver(this.#db)
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler()
  }

  createAdapter() {
    return new SqliteAdapter()
  }

  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db)
  }
}
