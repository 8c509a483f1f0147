import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import Sqlite from 'better-sqlite3'
import { readDatabaseUrl } from './config/database.js'
import { isPostgresUrl, sqlitePath } from './db/connection.js'

/**
 * `npm run backup FILE`: an online copy of the database while the bot keeps running.
 * - SQLite: through SQLite's backup API, which copies a few pages at a time between the bot's
 *   writes, so nothing holds the database's lock for long.
 * - PostgreSQL: `pg_dump --format=custom`, PostgreSQL's own consistent snapshot (restore it with
 *   `pg_restore`) of the whole database, or of the one schema the URL puts first in search_path;
 *   needs pg_dump of the server's major version or newer on PATH.
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
process.exit(isPostgresUrl(url) ? dumpPostgres(url, target) : await copySqlite(url, target))

async function copySqlite(url: string, file: string): Promise<number> {
  const path = sqlitePath(url)
  if (path === ':memory:' || !existsSync(path)) {
    process.stderr.write(`DATABASE_URL names no database file (${path})\n`)
    return 1
  }
  const source = new Sqlite(path, { readonly: true, fileMustExist: true })
  const { totalPages } = await source.backup(file, { progress: () => 100 })
  source.close()
  process.stdout.write(`backed up ${path} to ${file} (${totalPages} pages)\n`)
  return 0
}

function dumpPostgres(url: string, file: string): number {
  // The password goes to pg_dump in its environment, never on a command line others can read.
  const server = new URL(url)
  const password = decodeURIComponent(server.password)
  server.password = ''
  const schema = /search_path=([^\s,]+)/.exec(server.searchParams.get('options') ?? '')?.[1]
  const args = ['--format=custom', `--file=${file}`, ...(schema === undefined ? [] : [`--schema=${schema}`])]
  const dump = spawnSync('pg_dump', [...args, `--dbname=${server.href}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...(password !== '' && { PGPASSWORD: password }) },
  })
  if ((dump.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    process.stderr.write(
      'pg_dump is not installed: install PostgreSQL’s client tools (Debian: apt-get install postgresql-client), ' +
        'of the server’s major version or newer, or run it where they are: ' +
        'pg_dump --format=custom --file=FILE "$DATABASE_URL"\n',
    )
    return 1
  }
  if (dump.error !== undefined) throw dump.error
  if (dump.status !== 0) return dump.status ?? 1
  process.stdout.write(
    `backed up ${server.host}${server.pathname} to ${file} with pg_dump (restore: pg_restore)\n`,
  )
  return 0
}
