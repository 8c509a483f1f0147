import { sql } from 'kysely'
import type { Channel } from '../../core/model.js'
import type { InboundContact } from '../../core/ports.js'
import { compiledOnce, onlyRow } from '../compiled-once.js'
import type { Db } from '../connection.js'
import type { Contact, Ticket } from '../schema.js'

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

const byExternalId = compiledOnce((db, c: { channel: Channel; externalId: string }) =>
  db
    .selectFrom('contacts')
    .selectAll()
    .where('channel', '=', c.channel)
    .where('external_id', '=', c.externalId),
)

/** Whether the upsert would leave `known` as it is: the platform told us nothing new. */
function unchanged(known: Contact, c: ContactValues, keepName: boolean): boolean {
  const same = (given: string | null, held: string | null) => given === null || given === held
  return (
    (keepName || c.displayName === known.display_name) &&
    same(c.avatarUrl, known.avatar_url) &&
    same(c.username, known.username) &&
    same(c.language, known.language)
  )
}

/**
 * Finds the contact or creates it; keeps name, username, language and picture as the platform last
 * said. A contact the message tells nothing new is only read: most messages come from a contact we
 * know, and writing its row again cost every commit a page.
 */
export async function upsertContact(
  db: Db,
  channel: Channel,
  c: InboundContact,
  at: string,
): Promise<Contact> {
  const known = (await byExternalId(db, { channel, externalId: c.externalId })).rows[0]
  return keepContact(db, channel, c, known, at)
}

/**
 * The contact as the platform now tells it, from `known` (the row read before, or undefined when
 * there is none): written only when the platform told us something new, created when unknown.
 */
export async function keepContact(
  db: Db,
  channel: Channel,
  c: InboundContact,
  known: Contact | undefined,
  at: string,
): Promise<Contact> {
  const keepName = c.provisional === true
  const values: ContactValues = {
    channel,
    externalId: c.externalId,
    displayName: c.displayName,
    username: c.username ?? null,
    language: c.language ?? null,
    avatarUrl: c.avatarUrl ?? null,
    at,
  }
  if (known !== undefined && unchanged(known, values, keepName)) return known
  const result = await (keepName ? upsertKeepingName : upsert)(db, values)
  return onlyRow(result, 'upsertContact')
}

const contactById = compiledOnce((db, c: { id: number }) =>
  db.selectFrom('contacts').selectAll().where('id', '=', c.id),
)

export async function findContact(db: Db, id: number): Promise<Contact | undefined> {
  return (await contactById(db, { id })).rows[0]
}

/** Every column of a contact, as a row read beside another table's names them: `c_` and the column. */
const CONTACT_COLUMNS: { readonly [K in keyof Contact]-?: `c_${K}` } = {
  id: 'c_id',
  channel: 'c_channel',
  external_id: 'c_external_id',
  display_name: 'c_display_name',
  username: 'c_username',
  language: 'c_language',
  avatar_url: 'c_avatar_url',
  metadata: 'c_metadata',
  created_at: 'c_created_at',
  updated_at: 'c_updated_at',
  allowed_at: 'c_allowed_at',
  blocked_at: 'c_blocked_at',
  pending_reference: 'c_pending_reference',
}
const CONTACT_ENTRIES = Object.entries(CONTACT_COLUMNS) as [keyof Contact, string][]

const withLatestTicket = compiledOnce((db, c: { channel: Channel; externalId: string }) =>
  db
    .selectFrom('contacts as c')
    .leftJoin('tickets as t', (join) =>
      join.on('t.id', '=', (eb) =>
        eb.selectFrom('tickets').select(eb.fn.max('id').as('id')).whereRef('contact_id', '=', 'c.id'),
      ),
    )
    .selectAll('t')
    .select(CONTACT_ENTRIES.map(([column, alias]) => sql.ref(`c.${column}`).as(alias)))
    .where('c.channel', '=', c.channel)
    .where('c.external_id', '=', c.externalId),
)

/**
 * A contact and their most recent ticket (whatever its status), read together: every customer
 * message needs both, and one statement costs less than two.
 */
export async function contactWithLatestTicket(
  db: Db,
  channel: Channel,
  externalId: string,
): Promise<{ contact: Contact; latest: Ticket | undefined } | undefined> {
  const row = (await withLatestTicket(db, { channel, externalId })).rows[0] as
    (Record<string, unknown> & { id: number | null }) | undefined
  if (row === undefined) return undefined
  const contact = {} as Record<string, unknown>
  for (const [column, alias] of CONTACT_ENTRIES) {
    contact[column] = row[alias]
    delete row[alias]
  }
  return { contact: contact as Contact, latest: row.id === null ? undefined : (row as unknown as Ticket) }
}
