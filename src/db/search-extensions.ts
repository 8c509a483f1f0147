import { sql } from 'kysely'
import type { Db } from './connection.js'

/** The PostgreSQL extensions ticket search needs (migrations/0014-ticket-search-trgm.ts). */
export const SEARCH_EXTENSIONS = ['pg_trgm', 'unaccent'] as const

/** Whether a PostgreSQL database has ticket search's extensions, or this user could create them. */
export interface SearchExtensions {
  /** Needed and not yet created in this database. */
  readonly missing: readonly string[]
  /** Of those, the ones this server does not have at all (its contrib modules are not installed). */
  readonly unavailable: readonly string[]
  /**
   * Whether this user may create them: a superuser may; from PostgreSQL 13, where both are trusted
   * extensions, so may a user with CREATE on the database.
   */
  readonly mayCreate: boolean
  /** The database and the user, quoted as identifiers, for the fix to name. */
  readonly database: string
  readonly user: string
}

/** Reads, without changing anything, what creating ticket search's extensions would meet. */
export async function searchExtensions(db: Db): Promise<SearchExtensions> {
  const names = sql.join([...SEARCH_EXTENSIONS])
  const { rows } = await sql<{
    installed: string[] | null
    available: string[] | null
    may_create: boolean
    database: string
    user: string
  }>`
    select
      (select array_agg(extname::text) from pg_extension where extname in (${names})) as installed,
      (select array_agg(name::text) from pg_available_extensions where name in (${names})) as available,
      (select rolsuper from pg_roles where rolname = current_user)
        or (current_setting('server_version_num')::integer >= 130000
          and has_database_privilege(current_database(), 'CREATE')) as may_create,
      quote_ident(current_database()) as database,
      quote_ident(current_user) as user
  `.execute(db)
  const row = rows[0]
  const installed = row?.installed ?? []
  const available = row?.available ?? []
  const missing = SEARCH_EXTENSIONS.filter((e) => !installed.includes(e))
  return {
    missing,
    unavailable: missing.filter((e) => !available.includes(e)),
    mayCreate: row?.may_create ?? false,
    database: row?.database ?? 'this database',
    user: row?.user ?? 'this user',
  }
}
