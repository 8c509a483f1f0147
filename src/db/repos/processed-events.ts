import type { Db } from '../connection.js'

/** Records that a platform event was handled; false when it already was (a redelivery). */
export async function markProcessed(
  db: Db,
  channel: string,
  externalId: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .insertInto('processed_events')
    .values({ channel, external_id: externalId, created_at: at })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  return result.numInsertedOrUpdatedRows === 1n
}
