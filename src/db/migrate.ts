import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely'
import { migrations } from '../../migrations/index.js'
import type { Db } from './connection.js'

const provider: MigrationProvider = {
  getMigrations: (): Promise<Record<string, Migration>> => Promise.resolve(migrations),
}

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results = [] } = await new Migrator({ db, provider }).migrateToLatest()
  const failed = results.find((r) => r.status === 'Error')
  if (error !== undefined || failed !== undefined) {
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: error })
  }
  return results.map((r) => r.migrationName)
}

/** How the database's schema compares with the migrations this code carries. */
export interface MigrationState {
  /** Migrations this code has that the database has had. */
  readonly applied: readonly string[]
  /** Migrations this code has that the database has not had, in order. */
  readonly pending: readonly string[]
  /** Migrations the database had that this code does not know: it was migrated by a newer version. */
  readonly unknown: readonly string[]
}

/** Reads the migration table (if any) without changing anything: no table is created, none applied. */
export async function migrationState(db: Db): Promise<MigrationState> {
  const known = await new Migrator({ db, provider }).getMigrations()
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true })
  const executed = tables.some((t) => t.name === 'kysely_migration')
    ? (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name)
    : []
  return {
    applied: known.filter((m) => m.executedAt !== undefined).map((m) => m.name),
    pending: known.filter((m) => m.executedAt === undefined).map((m) => m.name),
    unknown: executed.filter((name) => !(name in migrations)),
  }
}
