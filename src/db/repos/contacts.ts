import type { Channel } from '../../core/model.js'
import type { InboundContact } from '../../core/ports.js'
import { compiledOnce, onlyRow } from '../compiled-once.js'
import type { Db } from '../connection.js'
import type { Contact } from '../schema.js'

interface ContactValues {
  channel: Channel
  externalId: string
  displayName: string
  username: string | null
  language: string | null
  avatarUrl: string | null
  at: string
}

/** The upsert of a contact; `keepName` for a stand-in name, which never replaces one the platform told us before. */
const upsertQuery = (keepName: boolean) =>
  compiledOnce((db, c: ContactValues) =>
    db
      .insertInto('contacts')
      .values({
        channel: c.channel,
        external_id: c.externalId,
        display_name: c.displayName,
        username: c.username,
        language: c.language,
        avatar_url: c.avatarUrl,
        created_at: c.at,
        updated_at: c.at,
      })
      .onConflict((oc) =>
        oc.columns(['channel', 'external_id']).doUpdateSet((eb) => ({
          display_name: keepName ? eb.ref('contacts.display_name') : eb.ref('excluded.display_name'),
          avatar_url: eb.fn.coalesce('excluded.avatar_url', 'contacts.avatar_url'),
          username: eb.fn.coalesce('excluded.username', 'contacts.username'),
          language: eb.fn.coalesce('excluded.language', 'contacts.language'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returningAll(),
  )
const upsert = upsertQuery(false)
const upsertKeepingName = upsertQuery(true)

/** Finds the contact or creates it; keeps name, username, language and picture as the platform last said. */
export async function upsertContact(
  db: Db,
  channel: Channel,
  c: InboundContact,
  at: string,
): Promise<Contact> {
  const query = c.provisional === true ? upsertKeepingName : upsert
  const result = await query(db, {
    channel,
    externalId: c.externalId,
    displayName: c.displayName,
    username: c.username ?? null,
    language: c.language ?? null,
    avatarUrl: c.avatarUrl ?? null,
    at,
  })
  return onlyRow(result, 'upsertContact')
}

export async function findContact(db: Db, id: number): Promise<Contact | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst()
}
