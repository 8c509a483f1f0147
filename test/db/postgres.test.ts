import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { describe, expect, it, onTestFinished } from 'vitest'
import { openDatabase, type Db } from '../../src/db/connection.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { beat } from '../../src/db/repos/heartbeats.js'
import { addRule } from '../../src/db/repos/ticket-rules.js'
import { testDatabaseUrl, testingOnPostgres } from '../helpers/db.js'

const AT = '2026-11-30T10:00:00.000Z'

/** A database opened the way a replica opens it, closed when the test ends. */
function open(url: string): Db {
  const db = openDatabase(url)
  onTestFinished(() => db.destroy())
  return db
}

describe.runIf(testingOnPostgres)('PostgreSQL (PostgreSQL only: what differs from SQLite)', () => {
  it('numbers rows of the frozen migrations with identity columns, and counts come back as numbers', async () => {
    const db = open(await testDatabaseUrl())
    await migrateToLatest(db)
    const first = await addRule(db, { conditions: '{}', actions: '{}' }, AT)
    const second = await addRule(db, { conditions: '{}', actions: '{}' }, AT)
    expect([first, second]).toEqual([1, 2])
    const { n } = await db
      .selectFrom('ticket_rules')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    expect(n).toBe(2)
  })

  it('runs writing transactions one at a time across processes, as SQLite does', async () => {
    const url = await testDatabaseUrl()
    const replicas = [open(url), open(url)]
    await migrateToLatest(replicas[0]!)
    await beat(replicas[0]!, 'counter', '0')
    // Read, think, write: two transactions that overlapped would both read the same value, and one
    // increment would be lost. The core reads then writes like this (a lane's head, a contact's ticket).
    const increment = (db: Db) =>
      db.transaction().execute(async (tx) => {
        const row = await tx
          .selectFrom('heartbeats')
          .select('at')
          .where('name', '=', 'counter')
          .executeTakeFirstOrThrow()
        await sleep(5)
        await beat(tx, 'counter', String(Number(row.at) + 1))
      })
    await Promise.all(Array.from({ length: 20 }, (_, i) => increment(replicas[i % 2]!)))
    const row = await replicas[1]!
      .selectFrom('heartbeats')
      .select('at')
      .where('name', '=', 'counter')
      .executeTakeFirstOrThrow()
    expect(row.at).toBe('20')
  })

  it('sees only the tables of its own schema: another schema’s migrations are not taken for its own', async () => {
    const other = open(await testDatabaseUrl())
    await migrateToLatest(other)
    const db = open(await testDatabaseUrl())
    expect(await db.introspection.getTables({ withInternalKyselyTables: true })).toEqual([])
    expect((await migrateToLatest(db)).length).toBeGreaterThan(0)
    const schemas = await sql<{
      n: number
    }>`select count(distinct table_schema) as n from information_schema.tables
      where table_name = 'kysely_migration'`.execute(db)
    expect(schemas.rows[0]!.n).toBeGreaterThanOrEqual(2)
  })
})
