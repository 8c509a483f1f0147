import { describe, expect, it } from 'vitest'
import { compiledOnce } from '../../src/db/compiled-once.js'
import { memoryDb } from '../helpers/db.js'

describe('a query compiled once', () => {
  // The constants are written into the statement on SQLite: quotes, question marks and numbers in
  // them must read back exactly, and the values given at each run must still go where they belong.
  const insert = compiledOnce((db, r: { name: string; at: string }) =>
    db
      .insertInto('canned_replies')
      .values({
        name: r.name,
        text: "It's here? Yes: 'quoted' and \"double\" ?",
        created_by: null,
        created_at: r.at,
      })
      .returning(['id', 'name', 'text', 'created_by', 'created_at']),
  )
  const newest = compiledOnce((db, r: { prefix: string }) =>
    db
      .selectFrom('canned_replies')
      .select(['name', 'text'])
      .where('name', 'like', r.prefix)
      .where('text', '!=', "it's? not this")
      .orderBy('id', 'desc')
      .limit(2),
  )

  it('runs with new values each time, its constants intact', async () => {
    const db = await memoryDb()
    for (const name of ['a?', "b'?", 'c', 'd']) await insert(db, { name, at: '2026-11-30T10:00:00.000Z' })
    const first = await insert(db, { name: "e'", at: '2026-11-30T11:00:00.000Z' })
    expect(first.rows).toEqual([
      {
        id: 5,
        name: "e'",
        text: "It's here? Yes: 'quoted' and \"double\" ?",
        created_by: null,
        created_at: '2026-11-30T11:00:00.000Z',
      },
    ])
    expect((await newest(db, { prefix: '%' })).rows.map((r) => r.name)).toEqual(["e'", 'd'])
    expect((await newest(db, { prefix: '%?' })).rows.map((r) => r.name)).toEqual(["b'?", 'a?'])
    await db.destroy()
  })
})
