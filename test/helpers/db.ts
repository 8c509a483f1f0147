import { openDatabase, type Db } from '../../src/db/connection.js'
import { migrateToLatest } from '../../src/db/migrate.js'

/** A fresh in-memory database with every migration applied. */
export async function memoryDb(): Promise<Db> {
  const db = openDatabase(':memory:')
  await migrateToLatest(db)
  return db
}
