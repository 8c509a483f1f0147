import { compiledOnce } from '../compiled-once.js'
import type { Db } from '../connection.js'
import type { ApiKey } from '../schema.js'

/** Stores a new key by its hash; false when a key of that name exists (revoked or not). */
export async function insertApiKey(
  db: Db,
  key: { name: string; hash: string; role: ApiKey['role']; createdBy: string },
  at: string,
): Promise<boolean> {
  const result = await db
    .insertInto('api_keys')
    .values({ name: key.name, key_hash: key.hash, role: key.role, created_by: key.createdBy, created_at: at })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst()
  return result.numInsertedOrUpdatedRows === 1n
}

const keyByHash = compiledOnce((db, k: { hash: string }) =>
  db.selectFrom('api_keys').selectAll().where('key_hash', '=', k.hash),
)

/** The key whose hash this is, revoked or not. */
export async function apiKeyByHash(db: Db, hash: string): Promise<ApiKey | undefined> {
  return (await keyByHash(db, { hash })).rows[0]
}

/** Every key, oldest first. */
export async function apiKeys(db: Db): Promise<ApiKey[]> {
  return db.selectFrom('api_keys').selectAll().orderBy('id').execute()
}

/** Revokes the key of that name; false when there is no such key, or it was revoked already. */
export async function revokeApiKey(db: Db, name: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

/** Records when a key was last used (at most once a minute is enough to read it). */
export async function touchApiKey(db: Db, id: number, at: string, notSince: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', notSince)]))
    .execute()
}
