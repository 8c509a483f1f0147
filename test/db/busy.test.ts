import Sqlite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openDatabase, sqlitePath } from '../../src/db/connection.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { beat } from '../../src/db/repos/heartbeats.js'
import { testingOnPostgres } from '../helpers/db.js'
import { tempDatabaseUrl } from '../helpers/temp-db.js'

describe('a database another process holds', () => {
  // PostgreSQL has no database-wide write lock to meet: writers wait on rows, on the server.
  it.skipIf(testingOnPostgres)(
    'waits for the lock without freezing the event loop, then writes (SQLite only: a file another process locks)',
    async () => {
      const url = await tempDatabaseUrl()
      const db = openDatabase(url)
      await migrateToLatest(db)
      // Another process (a backup, a script) takes the write lock for a while.
      const other = new Sqlite(sqlitePath(url))
      other.exec('begin immediate')

      let ticks = 0
      const ticker = setInterval(() => ticks++, 10)
      const write = db.transaction().execute((tx) => beat(tx, 'test', '2026-11-29T10:00:00.000Z'))
      await new Promise((resolve) => setTimeout(resolve, 300))
      // The loop kept turning while the write waited (a 5 s busy wait would have frozen it).
      expect(ticks).toBeGreaterThan(10)
      other.exec('commit')
      await write
      clearInterval(ticker)

      const row = await db.selectFrom('heartbeats').selectAll().where('name', '=', 'test').executeTakeFirst()
      expect(row?.at).toBe('2026-11-29T10:00:00.000Z')
      other.close()
      await db.destroy()
    },
  )
})
