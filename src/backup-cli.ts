import { existsSync } from 'node:fs'
import Sqlite from 'better-sqlite3'
import { readDatabaseUrl } from './config/database.js'
import { sqlitePath } from './db/connection.js'

/**
 * `npm run backup FILE`: an online copy of the SQLite database through SQLite's backup API. It
 * copies a few pages at a time between the bot's writes, so the bot keeps running and nothing
 * holds the database's lock for long.
 */
if (existsSync('.env')) process.loadEnvFile('.env')
const target = process.argv[2]
if (target === undefined || target === '') {
  process.stderr.write('usage: npm run backup FILE\n')
  process.exit(2)
}
let url: string
try {
  url = readDatabaseUrl()
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`)
  process.exit(2)
}
const path = sqlitePath(url)
if (path === ':memory:' || !existsSync(path)) {
  process.stderr.write(`DATABASE_URL names no database file (${path})\n`)
  process.exit(1)
}
const source = new Sqlite(path, { readonly: true, fileMustExist: true })
const { totalPages } = await source.backup(target, { progress: () => 100 })
source.close()
process.stdout.write(`backed up ${path} to ${target} (${totalPages} pages)\n`)
