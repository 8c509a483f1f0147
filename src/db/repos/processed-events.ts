import { compiledOnce } from '../compiled-once.js'
import type { Db } from '../connection.js'

const insertProcessed = compiledOnce((db, e: { channel: string; externalId: string; at: string }) =>
  db
    .insertInto('processed_events')
    .values({ channel: e.channel, external_id: e.externalId, created_at: e.at })
    .onConflict((oc) => oc.doNothing()),
)

/** Records that a platform event was handled; false when it already was (a redelivery). */
export async function markProcessed(
  db: Db,
  channel: string,
  externalId: string,
  at: string,
): Promise<boolean> {
  const result = await insertProcessed(db, { channel, externalId, at })
  return result.numAffectedRows === 1n
}
