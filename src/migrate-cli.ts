import { existsSync } from 'node:fs'
import { DEFAULT_DATABASE_URL } from './config.js'
import { openDatabase } from './db/connection.js'
import { migrateToLatest } from './db/migrate.js'

// `npm run migrate`: only DATABASE_URL is needed, not the whole configuration.
if (existsSync('.env')) process.loadEnvFile('.env')
const db = openDatabase(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL)
try {
  const applied = await migrateToLatest(db)
  process.stdout.write(applied.length === 0 ? 'database is up to date\n' : `applied: ${applied.join(', ')}\n`)
} finally {
  await db.destroy()
}
