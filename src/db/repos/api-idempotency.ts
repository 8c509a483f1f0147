import type { Db } from '../connection.js'

export interface StoredAnswer {
  readonly requestHash: string
  readonly status: number
  readonly body: string
}

/** The answer first given under this key, unless it was given before `since`. */
export async function storedAnswer(
  db: Db,
  keyId: number,
  idempotencyKey: string,
  since: string,
): Promise<StoredAnswer | undefined> {
  const row = await db
    .selectFrom('api_idempotency')
    .select(['request_hash', 'status', 'body'])
    .where('key_id', '=', keyId)
    .where('idempotency_key', '=', idempotencyKey)
    .where('created_at', '>=', since)
    .executeTakeFirst()
  return row === undefined ? undefined : { requestHash: row.request_hash, status: row.status, body: row.body }
}

/**
 * Keeps the answer given under this key, replacing one older than `since` (the key may be used
 * again after its day). Throws on a key stored meanwhile by a request racing this one.
 */
export async function storeAnswer(
  db: Db,
  entry: { keyId: number; idempotencyKey: string; requestHash: string; status: number; body: string },
  at: string,
  since: string,
): Promise<void> {
  await db
    .deleteFrom('api_idempotency')
    .where('key_id', '=', entry.keyId)
    .where('idempotency_key', '=', entry.idempotencyKey)
    .where('created_at', '<', since)
    .execute()
  await db
    .insertInto('api_idempotency')
    .values({
      key_id: entry.keyId,
      idempotency_key: entry.idempotencyKey,
      request_hash: entry.requestHash,
      status: entry.status,
      body: entry.body,
      created_at: at,
    })
    .execute()
}

/** Forgets answers given before `before`: nobody may replay them any more. */
export async function forgetAnswers(db: Db, before: string): Promise<void> {
  await db.deleteFrom('api_idempotency').where('created_at', '<', before).execute()
}
