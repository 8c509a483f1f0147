import type { Db } from '../connection.js'

/** Writes a heartbeat row: proves the database accepts a write (a full disk or a held lock fails it). */
export async function beat(db: Db, name: string, at: string): Promise<void> {
  await db
    .insertInto('heartbeats')
    .values({ name, at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ at }))
    .execute()
}
