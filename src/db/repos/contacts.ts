import type { Channel } from '../../core/model.js'
import type { InboundContact } from '../../core/ports.js'
import type { Db } from '../connection.js'
import type { Contact } from '../schema.js'

/** Finds the contact or creates it; keeps name, username, language and picture as the platform last said. */
export async function upsertContact(
  db: Db,
  channel: Channel,
  c: InboundContact,
  at: string,
): Promise<Contact> {
  return db
    .insertInto('contacts')
    .values({
      channel,
      external_id: c.externalId,
      display_name: c.displayName,
      username: c.username ?? null,
      language: c.language ?? null,
      avatar_url: c.avatarUrl ?? null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc.columns(['channel', 'external_id']).doUpdateSet((eb) => ({
        // A stand-in name never replaces one the platform told us before.
        display_name:
          c.provisional === true ? eb.ref('contacts.display_name') : eb.ref('excluded.display_name'),
        avatar_url: eb.fn.coalesce('excluded.avatar_url', 'contacts.avatar_url'),
        username: eb.fn.coalesce('excluded.username', 'contacts.username'),
        language: eb.fn.coalesce('excluded.language', 'contacts.language'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function findContact(db: Db, id: number): Promise<Contact | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst()
}
