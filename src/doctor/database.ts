import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { sql } from 'kysely'
import { failed, passed, warning, type DoctorCheck } from '../../adapters/shared/doctor.js'
import { describeError } from '../core/errors.js'
import { isPostgresUrl, openDatabase, sqlitePath, type Db } from '../db/connection.js'
import { migrationState } from '../db/migrate.js'
import { searchExtensions, type SearchExtensions } from '../db/search-extensions.js'

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  )

const writable = (path: string) =>
  access(path, constants.W_OK).then(
    () => true,
    () => false,
  )

/** Thrown to undo the probe's write. */
class Rollback extends Error {}

/** A write that is rolled back: it meets a read-only file or folder, or a lock, as the bot's first write would. */
async function probeWrite(db: Db): Promise<void> {
  await db
    .transaction()
    .execute(async (trx) => {
      await sql`create table threaddesk_doctor_probe (x integer)`.execute(trx)
      throw new Rollback()
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error
    })
}

async function checkMigrations(db: Db): Promise<DoctorCheck> {
  const { applied, pending, unknown } = await migrationState(db)
  if (unknown.length > 0)
    return failed(
      `database was migrated by a newer threaddesk (${unknown.join(', ')})`,
      'run the version that migrated it, or restore a backup made with this one',
    )
  if (pending.length > 0)
    return failed(`database migrations pending: ${pending.join(', ')}`, 'run `npm run migrate`')
  return passed(`database migrations: all ${applied.length} applied`)
}

/**
 * On PostgreSQL, what the search migration would meet: nothing to say while the extensions are
 * there or this user may create them; otherwise what to install or to run, before it fails.
 */
export function searchExtensionsCheck(state: SearchExtensions): DoctorCheck | undefined {
  const { missing, unavailable } = state
  if (missing.length === 0) return undefined
  if (unavailable.length > 0)
    return failed(
      `database search: this PostgreSQL server has no ${unavailable.join(' or ')} extension`,
      "install PostgreSQL's contrib modules on the server (Debian and Ubuntu ship them in the postgresql package; elsewhere postgresql-contrib)",
    )
  if (state.mayCreate) return undefined
  const create = missing.map((e) => `CREATE EXTENSION IF NOT EXISTS ${e};`).join(' ')
  return failed(
    `database search: ${state.user} may not create the PostgreSQL extension${missing.length > 1 ? 's' : ''} ${missing.join(' and ')} that ticket search needs`,
    `GRANT CREATE ON DATABASE ${state.database} TO ${state.user}; (PostgreSQL 13 or later), or have a superuser run once in that database: ${create}`,
  )
}

/** A file that does not exist yet: its folder (or the nearest one above that exists) must take it. */
async function checkMissingFile(path: string): Promise<DoctorCheck> {
  let folder = dirname(resolve(path))
  while (!(await exists(folder)) && dirname(folder) !== folder) folder = dirname(folder)
  if (!(await writable(folder)))
    return failed(
      `database ${path} cannot be created: ${folder} is not writable`,
      'make that folder writable by the user that runs threaddesk, or set DATABASE_URL elsewhere',
    )
  return failed(`database ${path} does not exist yet`, 'run `npm run migrate` to create it')
}

/** How the doctor names a database: a SQLite file's path, or a PostgreSQL server's host and database. */
export function databaseLabel(url: string): string {
  if (!isPostgresUrl(url)) return sqlitePath(url)
  // No user, no password: a line never shows credentials (and the doctor's scrubber would hide them).
  const { host, pathname } = new URL(url)
  return `${host}${pathname} (PostgreSQL)`
}

/**
 * A PostgreSQL server: it answers, lets this user create a table (rolled back), has had every
 * migration, and has the extensions ticket search needs or lets this user create them.
 */
async function checkPostgres(url: string): Promise<readonly DoctorCheck[]> {
  const label = databaseLabel(url)
  const db = openDatabase(url)
  try {
    try {
      await probeWrite(db)
    } catch (error) {
      return [
        failed(
          `database ${label} cannot be used (${describeError(error)})`,
          'check DATABASE_URL (host, port, user, password, database name) and that this user may create tables there',
        ),
      ]
    }
    const search = searchExtensionsCheck(await searchExtensions(db))
    return [
      passed(`database ${label}: opens and takes writes`),
      await checkMigrations(db),
      ...(search === undefined ? [] : [search]),
    ]
  } finally {
    await db.destroy()
  }
}

/**
 * DATABASE_URL names a database this code can use: it opens, takes a write, and has had every
 * migration. Nothing is changed: the probe's write is rolled back and no migration is applied.
 */
export async function checkDatabase(url: string): Promise<readonly DoctorCheck[]> {
  if (isPostgresUrl(url)) return checkPostgres(url)
  const path = sqlitePath(url)
  if (path === ':memory:')
    return [
      warning(
        'database is :memory:: tickets are lost whenever the process stops',
        'set DATABASE_URL to file:PATH to keep them',
      ),
    ]
  if (!(await exists(path))) return [await checkMissingFile(path)]
  let db: Db
  try {
    db = openDatabase(url)
  } catch (error) {
    return [
      failed(`database ${path} cannot be opened (${describeError(error)})`, 'check DATABASE_URL (file:PATH)'),
    ]
  }
  try {
    try {
      await probeWrite(db)
    } catch (error) {
      return [
        failed(
          `database ${path} does not take writes (${describeError(error)})`,
          'make the file and its folder writable by the user that runs threaddesk (SQLite writes -wal and -shm files beside it)',
        ),
      ]
    }
    return [passed(`database ${path}: opens and takes writes`), await checkMigrations(db)]
  } finally {
    await db.destroy()
  }
}
