import type { ExpressionBuilder } from 'kysely'
import { compiledOnce } from '../compiled-once.js'
import type { Db } from '../connection.js'
import type { Database } from '../schema.js'

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

/** A record's place in key order: where a sweep of the records goes on from. */
export interface ProcessedKey {
  readonly channel: string
  readonly externalId: string
}

/**
 * Looks at the `window` records that follow `after` in key order (the first ones when undefined)
 * and deletes those made before `before`: the sweep reads the key's index, and the records need
 * none of their own by time, which every message would have paid a page for. Resolves with how
 * many went and where the next window starts (undefined once the last was looked at).
 */
export async function sweepProcessed(
  db: Db,
  before: string,
  after: ProcessedKey | undefined,
  window: number,
): Promise<{ forgotten: number; next: ProcessedKey | undefined }> {
  const key = (eb: ExpressionBuilder<Database, 'processed_events'>) => eb.refTuple('channel', 'external_id')
  const last = await db
    .selectFrom('processed_events')
    .select(['channel', 'external_id'])
    .$if(after !== undefined, (q) =>
      q.where((eb) => eb(key(eb), '>', eb.tuple(after!.channel, after!.externalId))),
    )
    .orderBy('channel')
    .orderBy('external_id')
    .limit(1)
    .offset(window - 1)
    .executeTakeFirst()
  const gone = await db
    .deleteFrom('processed_events')
    .where('created_at', '<', before)
    .$if(after !== undefined, (q) =>
      q.where((eb) => eb(key(eb), '>', eb.tuple(after!.channel, after!.externalId))),
    )
    .$if(last !== undefined, (q) =>
      q.where((eb) => eb(key(eb), '<=', eb.tuple(last!.channel, last!.external_id))),
    )
    .executeTakeFirst()
  const next = last === undefined ? undefined : { channel: last.channel, externalId: last.external_id }
  return { forgotten: Number(gone.numDeletedRows), next }
}
