import { Migrator, type Migration, type MigrationProvider } from 'kysely'
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
