import { PostgresAdapter, sql, type Kysely } from 'kysely'

// Free-text search on PostgreSQL, as 0012 gave SQLite an FTS5 index: trigram indexes (pg_trgm) on
// the subject and the topic, which serve the word-start patterns search matches with `~*`. The text
// is indexed with its accents folded (unaccent), as FTS5's `remove_diacritics` folds them, so
// `cafe` finds "Café". Both extensions ship with PostgreSQL and are trusted from PostgreSQL 13: the
// database's owner (any user with CREATE on the database) may create them, no superuser needed.
const onPostgres = (db: Kysely<any>): boolean => db.getExecutor().adapter instanceof PostgresAdapter

const EXTENSIONS = ['pg_trgm', 'unaccent'] as const

interface Installed {
  readonly name: string
  /** The extension's schema, quoted as an identifier. */
  readonly schema: string
}

async function installed(db: Kysely<any>): Promise<Map<string, string>> {
  const { rows } = await sql<Installed>`
    select e.extname as name, quote_ident(n.nspname) as schema
    from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname in (${sql.join(EXTENSIONS)})
  `.execute(db)
  return new Map(rows.map((r) => [r.name, r.schema]))
}

/** Who migrates, and where: what the fix names when the extensions cannot be created. */
interface Setting {
  readonly database: string
  readonly user: string
  readonly version: number
}

/** What an operator does when an extension cannot be created by the user that migrates. */
function cannotCreate(name: string, at: Setting, error: unknown): Error {
  const code = (error as { code?: unknown }).code
  const reason = error instanceof Error ? error.message : String(error)
  const create = EXTENSIONS.map((e) => `CREATE EXTENSION IF NOT EXISTS ${e};`).join(' ')
  const superuser = `have a superuser run once in database ${at.database}: ${create}`
  const fix =
    code === '58P01' || code === '0A000'
      ? `this PostgreSQL server does not have it: install PostgreSQL's contrib modules on the server ` +
        `(Debian and Ubuntu ship them in the postgresql package; elsewhere postgresql-contrib), then migrate again`
      : at.version < 130_000
        ? `before PostgreSQL 13 only a superuser may create it: ${superuser}`
        : `${EXTENSIONS.join(' and ')} are trusted extensions, which a user with CREATE on the database may ` +
          `create: GRANT CREATE ON DATABASE ${at.database} TO ${at.user}; or ${superuser}`
  return new Error(
    `ticket search needs the PostgreSQL extension ${name}, which ${at.user} could not create (${reason}): ${fix}`,
    { cause: error },
  )
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) return
  let schemas = await installed(db)
  const { rows } = await sql<Setting>`
    select quote_ident(current_database()) as database, quote_ident(current_user) as user,
      current_setting('server_version_num')::integer as version
  `.execute(db)
  for (const name of EXTENSIONS) {
    if (schemas.has(name)) continue
    try {
      await sql`create extension ${sql.id(name)}`.execute(db)
    } catch (error) {
      // Said with its fix; the migration's transaction rolls back.
      throw cannotCreate(name, rows[0] ?? { database: 'this database', user: 'this user', version: 0 }, error)
    }
  }
  schemas = await installed(db)
  const trgm = sql.raw(schemas.get('pg_trgm') ?? 'public')
  const unaccent = schemas.get('unaccent') ?? 'public'
  // IMMUTABLE, so an index may use it (unaccent() itself is STABLE: its dictionary could change).
  // Everything named by schema: pg_restore and other schemas' search paths find it the same.
  // PL/pgSQL rather than SQL: a SQL function that cannot be inlined costs more per call here.
  await sql`
    create function search_fold(text) returns text
    language plpgsql immutable strict parallel safe as $$
    begin
      return ${sql.raw(unaccent)}.unaccent(${sql.lit(`${unaccent}.unaccent`)}::regdictionary, $1);
    end
    $$
  `.execute(db)
  await sql`create index tickets_subject_search on tickets using gin (search_fold(subject) ${trgm}.gin_trgm_ops)`.execute(
    db,
  )
  await sql`create index tickets_topic_search on tickets using gin (search_fold(topic) ${trgm}.gin_trgm_ops)`.execute(
    db,
  )
  // A rare word, listed newest first, is best found through these indexes, a common one by walking
  // the newest tickets; the planner tells them apart by the statistics of the folded text. With
  // the default hundred values it takes a word on one ticket in a thousand for one in a hundred and
  // walks (70 ms at 100,000 tickets, against 1 ms); three hundred tell them apart, and each search's
  // planning, which matches the pattern against them, stays under a millisecond (a thousand: 1.5 ms).
  for (const index of ['tickets_subject_search', 'tickets_topic_search'])
    await sql`alter index ${sql.id(index)} alter column 1 set statistics 300`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) return
  // The extensions stay: other schemas of the database may use them.
  await sql`drop index tickets_topic_search`.execute(db)
  await sql`drop index tickets_subject_search`.execute(db)
  await sql`drop function search_fold(text)`.execute(db)
}
