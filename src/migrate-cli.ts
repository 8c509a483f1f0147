import { existsSync } from 'node:fs'
import { readDatabaseUrl } from './config/database.js'
import { openDatabase } from './db/connection.js'
import { migrateToLatest } from './db/migrate.js'

// `npm run migrate`: only DATABASE_URL is needed, not the whole configuration.
if (existsSync('.env')) process.loadEnvFile('.env')
let url: string
try {
  url = readDatabaseUrl()
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`)
  process.exit(1)
}
const db = openDatabase(url)
try {
  const applied = await migrateToLatest(db)
  process.stdout.write(applied.length === 0 ? 'database is up to date\n' : `applied: ${applied.join(', ')}\n`)
} finally {
  await db.destroy()
}
