import { SqliteAdapter, sql } from 'kysely'
import type { Channel, Priority, TicketStatus } from '../../core/model.js'
import { onPostgres, type Db } from '../connection.js'

/** Which tickets a list or a bulk action is about. */
export interface TicketFilter {
  readonly statuses: readonly TicketStatus[]
  /** A desk user id, or `none` for unassigned. */
  readonly assignee?: string
  readonly channel?: Channel
  readonly priority?: Priority
  readonly tag?: string
  readonly type?: string
  /** Why tickets were closed at birth (`unknown`: a contact CONTACT_POLICY=known kept out). */
  readonly closedReason?: string
  /** Created before (`>`) or after (`<`) this long ago. */
  readonly age?: { readonly op: '>' | '<'; readonly ms: number }
  /** Words to find in the subject or the topic, each as a word or the start of one. */
  readonly text?: string
}

/**
 * The FTS5 query for what an agent typed: every word must be there, as a word or the start of one
 * (`refund` finds "refunds"), in any order. Each word is quoted, so nothing in it is FTS syntax.
 * Undefined when no word has a letter or digit to look for.
 */
function searchQuery(text: string): string | undefined {
  const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w))
  if (words.length === 0) return undefined
  return words.map((w) => `"${w.replaceAll('"', '""')}"*`).join(' ')
}

/**
 * The characters between words on PostgreSQL: ASCII that is neither a letter nor a digit. Spelled
 * out rather than `\m` or `[[:alnum:]]`, whose idea of a letter follows the database's locale: with
 * the C locale no letter outside ASCII would start a word, and "жара" could never be found. pg_trgm
 * reads this class as a blank too, which `\m` is not to it: short words use the index.
 */
const BETWEEN = String.raw`[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]`

/**
 * One typed part as a regular expression on PostgreSQL: accents folded as the index folds the text
 * (migrations/0014), then escaped. Immutable all through, so the planner works the pattern out once,
 * with the value, and the trigram indexes see a constant.
 */
const patternPart = (part: string) =>
  sql<string>`regexp_replace(search_fold(${part}), ${BETWEEN}, ${String.raw`\\\&`}, 'g')`

/**
 * What FTS5 finds, on PostgreSQL: every word at the start of a word of the subject or the topic,
 * in any case, accents folded (a word like `two-factor` as those words in a row). The trigram
 * indexes of migrations/0014 find the candidates of every word, even of one letter: pg_trgm pads
 * each indexed word with blanks (`  c`, ` ca`), and reads a pattern's start or separator as one.
 * Undefined when no word has a letter or digit to look for.
 */
function wordStarts(text: string) {
  const words = text
    .split(/\s+/)
    .map((w) => w.split(/[^\p{L}\p{N}]+/u).filter((part) => part !== ''))
    .filter((parts) => parts.length > 0)
  if (words.length === 0) return undefined
  return sql.join(
    words.map((parts) => {
      const pattern = sql.join(parts.map(patternPart), sql` || ${`${BETWEEN}+`} || `)
      const p = sql<string>`(${`(^|${BETWEEN})`} || ${pattern})`
      return sql`(search_fold(t.subject) ~* ${p} or search_fold(t.topic) ~* ${p})`
    }),
    sql` and `,
  )
}

/** Tickets whose subject or topic holds the words: FTS5 on SQLite, trigram-indexed word starts on PostgreSQL, else LIKE. */
function textMatches(db: Db, text: string) {
  const match = sqliteMatch(db, text)
  if (match !== undefined)
    return sql<boolean>`t.id in (select rowid from ticket_search where ticket_search match ${match})`
  const words = onPostgres(db) ? wordStarts(text) : undefined
  if (words !== undefined) return sql<boolean>`(${words})`
  // Words are matched literally: % and _ in them are not wildcards.
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  return sql<boolean>`(t.subject like ${like} escape '\\' or t.topic like ${like} escape '\\')`
}

/** The FTS5 query for what an agent typed, on SQLite when it has a word to look for. */
const sqliteMatch = (db: Db, text: string): string | undefined =>
  db.getExecutor().adapter instanceof SqliteAdapter ? searchQuery(text) : undefined

/** The tickets a filter selects, as a query lists, counts and bulk actions build on. */
function selectTickets(db: Db, filter: TicketFilter, now: Date) {
  let query = db
    .selectFrom('tickets as t')
    .leftJoin('agents as a', 'a.id', 't.assignee_id')
    .where('t.status', 'in', [...filter.statuses])
  if (filter.assignee === 'none') query = query.where('t.assignee_id', 'is', null)
  else if (filter.assignee !== undefined) query = query.where('a.desk_user_id', '=', filter.assignee)
  if (filter.channel !== undefined) query = query.where('t.channel', '=', filter.channel)
  if (filter.priority !== undefined) query = query.where('t.priority', '=', filter.priority)
  if (filter.type !== undefined) query = query.where('t.type', '=', filter.type)
  if (filter.closedReason !== undefined) query = query.where('t.closed_reason', '=', filter.closedReason)
  if (filter.tag !== undefined) {
    // Driven from the tag's index: a tag is on few tickets, a status on many.
    const tagged = db.selectFrom('ticket_tags').select('ticket_id').where('tag', '=', filter.tag)
    query = query.where('t.id', 'in', tagged)
  }
  if (filter.age !== undefined) {
    const edge = new Date(now.getTime() - filter.age.ms).toISOString()
    query = query.where('t.created_at', filter.age.op === '>' ? '<' : '>', edge)
  }
  if (filter.text !== undefined) query = query.where(textMatches(db, filter.text))
  return query
}

/**
 * The tickets a filter selects, newest first (older than `beforeId` when given). A search on SQLite walks the FTS5 index's own rows
 * newest first and stops at the page's end: the list of every match (200,000 tickets for a common
 * word at a million) was built before the first was listed, 30 ms against 6.
 */
function newestFirst(db: Db, filter: TicketFilter, now: Date, beforeId?: number) {
  const { text, ...unsearched } = filter
  const match = text === undefined ? undefined : sqliteMatch(db, text)
  if (match === undefined)
    return selectTickets(db, filter, now)
      .$if(beforeId !== undefined, (q) => q.where('t.id', '<', beforeId!))
      .orderBy('t.id', 'desc')
  const searched = selectTickets(db, unsearched, now)
    .innerJoin(sql<{ rowid: number }>`ticket_search`.as('s'), (join) => join.onRef('s.rowid', '=', 't.id'))
    .where(sql<boolean>`s.ticket_search match ${match}`)
    .$if(beforeId !== undefined, (q) => q.where(sql<boolean>`s.rowid < ${beforeId}`))
    // Ordered by the index's rowid (the ticket's id), which FTS5 hands out in order; by t.id, SQLite
    // would sort every match first.
    .orderBy(sql`s.rowid`, 'desc')
  // The search's table only joins and orders: what is selected is the tickets', as without it.
  return searched as unknown as ReturnType<typeof selectTickets>
}

export interface ListedTicket {
  readonly id: number
  readonly status: TicketStatus
  readonly priority: Priority
  readonly channel: Channel
  readonly subject: string
  readonly customer: string
  readonly assignee: string | null
  readonly threadChannel: string | null
  readonly threadTs: string | null
}

/** Up to `limit` tickets of a filter, newest first; `more` says whether there are others. */
export async function listTickets(
  db: Db,
  filter: TicketFilter,
  now: Date,
  limit = 20,
): Promise<{ tickets: ListedTicket[]; more: boolean }> {
  const rows = await newestFirst(db, filter, now)
    .innerJoin('contacts as c', 'c.id', 't.contact_id')
    .select([
      't.id',
      't.status',
      't.priority',
      't.channel',
      't.subject',
      'c.display_name as customer',
      'a.desk_user_id as assignee',
      't.thread_channel as threadChannel',
      't.thread_ts as threadTs',
    ])
    .limit(limit + 1)
    .execute()
  return { tickets: rows.slice(0, limit), more: rows.length > limit }
}

/** How many tickets a filter selects. */
export async function countTickets(db: Db, filter: TicketFilter, now: Date): Promise<number> {
  const row = await selectTickets(db, filter, now)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The ids of up to `limit` tickets of a filter, newest first; `more` says whether there are others. */
export async function ticketIdsOf(
  db: Db,
  filter: TicketFilter,
  now: Date,
  limit: number,
  /** Only tickets older than this one (the next page). */
  beforeId?: number,
): Promise<{ ids: number[]; more: boolean }> {
  const rows = await newestFirst(db, filter, now, beforeId)
    .select('t.id')
    .limit(limit + 1)
    .execute()
  return { ids: rows.slice(0, limit).map((r) => r.id), more: rows.length > limit }
}
