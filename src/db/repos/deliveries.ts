import type { DeliveryPayload } from '../../core/delivery.js'
import { laneOf } from '../../core/delivery.js'
import type { DeliveryStatus, Lane } from '../../core/model.js'
import { onPostgres, type Db } from '../connection.js'
import { expressionBuilder, sql, type ExpressionBuilder, type QueryResult } from 'kysely'
import { compiledOnce } from '../compiled-once.js'
import { jsonField } from '../portable.js'
import type { Database, Delivery } from '../schema.js'

/**
 * `queued`, `ready` and a page's size, written into the statement's text: SQLite chooses the
 * partial indexes on status and ready (and plans a LIMIT) from the values, and so prepares a
 * statement again every time one of them is bound (370 µs for the outbox's read of due heads).
 */
const QUEUED = sql.lit<DeliveryStatus>('queued')
const READY = sql.lit(1)

/** The rows of one (ticket, lane); rows without a ticket share one lane of each kind. */
const inLane = (ticketId: number | null, lane: Lane) => (eb: ExpressionBuilder<Database, 'deliveries'>) =>
  eb.and([
    ticketId === null ? eb('ticket_id', 'is', null) : eb('ticket_id', '=', ticketId),
    eb('lane', '=', lane),
  ])

interface NewDelivery {
  readonly ticketId: number | null
  readonly lane: Lane
  readonly kind: DeliveryPayload['type']
  readonly payload: string
  readonly dueAt: string
  readonly at: string
}

/**
 * The insert of a delivery, built once per shape (a ticket's lane, or the shared lane of rows
 * without one): it runs for every message stored. One statement: the row is the head unless its
 * lane has a row queued already.
 */
const insertDelivery = (ofTicket: boolean) =>
  compiledOnce((db, d: NewDelivery) => {
    const eb = expressionBuilder<Database, 'deliveries'>()
    const queuedAhead = eb.exists(
      eb
        .selectFrom('deliveries')
        .select('id')
        .where('status', '=', QUEUED)
        .where(ofTicket ? eb('ticket_id', '=', d.ticketId) : eb('ticket_id', 'is', null))
        .where('lane', '=', d.lane),
    )
    return db.insertInto('deliveries').values({
      ticket_id: d.ticketId,
      lane: d.lane,
      kind: d.kind,
      payload: d.payload,
      status: 'queued',
      attempts: 0,
      next_attempt_at: d.dueAt,
      created_at: d.at,
      ready: eb.case().when(queuedAhead).then(0).else(1).end(),
    })
  })
const insertOfTicket = insertDelivery(true)
const insertWithoutTicket = insertDelivery(false)

/**
 * Queues one delivery. The row is the head of its (ticket, lane) when nothing else is queued there;
 * otherwise it waits, not due, until the rows before it are done.
 */
export async function enqueueDelivery(
  db: Db,
  ticketId: number | null,
  payload: DeliveryPayload,
  at: string,
  /** When it may leave, if later than now (an agent's reply waits out its undo window). */
  dueAt: string = at,
): Promise<void> {
  const row = {
    ticketId,
    lane: laneOf(payload),
    kind: payload.type,
    payload: JSON.stringify(payload),
    dueAt,
    at,
  }
  await (ticketId === null ? insertWithoutTicket : insertOfTicket)(db, row)
}

/**
 * The service a row's call goes to, as the outbox's router names it (`slack`, `customer-info`,
 * `webhook` or the customer's channel), over `deliveries d` left joined to `tickets t`.
 */
const serviceOf = (db: Db) =>
  sql<string>`case
    when d.lane = 'desk' then 'slack'
    when d.lane = 'info' then 'customer-info'
    when d.lane like 'webhook:%' then 'webhook'
    when d.kind = 'customer.direct' then ${jsonField(db, 'd.payload', 'channel')}
    else coalesce(t.channel, 'unknown')
  end`

/** A due head, with what routing it needs of its ticket (null for rows without one). */
export interface DueHead extends Delivery {
  readonly ticket_channel: string | null
  readonly contact_external_id: string | null
  readonly thread_channel: string | null
  readonly desk_channel: string | null
}

/**
 * The heads of their lanes that are due now, longest due first, after `after` when paging, each
 * with where it goes. Rows behind a head are never read.
 */
export async function dueHeads(
  db: Db,
  now: string,
  page: {
    readonly limit: number
    readonly after?: { readonly at: string; readonly id: number } | undefined
    /** Services whose rows could not start now (they have all the workers they may): left unread. */
    readonly skipServices?: readonly string[]
  },
): Promise<DueHead[]> {
  const { limit, after, skipServices = [] } = page
  const values: DueValues = { now, afterAt: after?.at ?? now, afterId: after?.id ?? 0 }
  for (const [i, service] of skipServices.entries()) values[`skip${i}`] = service
  return (await dueHeadsRead(after !== undefined, skipServices.length, limit)(db, values)).rows
}

type DueValues = { now: string; afterAt: string; afterId: number } & Record<`skip${number}`, string>

/**
 * The read of due heads, built once per shape: a first page or a later one, how many services it
 * skips, its size (written into the text: SQLite plans a LIMIT it can see).
 */
const dueHeadsReads = new Map<string, (db: Db, values: DueValues) => Promise<QueryResult<DueHead>>>()
function dueHeadsRead(paging: boolean, skipped: number, limit: number) {
  const shape = `${paging}:${skipped}:${limit}`
  let read = dueHeadsReads.get(shape)
  if (read === undefined) {
    read = compiledOnce((db, v: DueValues) =>
      db
        .selectFrom('deliveries as d')
        .leftJoin('tickets as t', 't.id', 'd.ticket_id')
        .leftJoin('contacts as c', 'c.id', 't.contact_id')
        .selectAll('d')
        .select([
          't.channel as ticket_channel',
          'c.external_id as contact_external_id',
          't.thread_channel',
          't.desk_channel',
        ])
        .where('d.status', '=', QUEUED)
        .where('d.ready', '=', READY)
        .where('d.next_attempt_at', '<=', v.now)
        .where((eb) => eb.or([eb('d.claimed_until', 'is', null), eb('d.claimed_until', '<=', v.now)]))
        .$if(skipped > 0, (q) =>
          q.where(
            serviceOf(db),
            'not in',
            Array.from({ length: skipped }, (_, i) => v[`skip${i}`]!),
          ),
        )
        .$if(paging, (q) =>
          q.where((eb) =>
            eb.or([
              eb('d.next_attempt_at', '>', v.afterAt),
              eb.and([eb('d.next_attempt_at', '=', v.afterAt), eb('d.id', '>', v.afterId)]),
            ]),
          ),
        )
        .orderBy('d.next_attempt_at')
        .orderBy('d.id')
        .limit(sql.lit(limit)),
    )
    dueHeadsReads.set(shape, read)
  }
  return read
}

/**
 * Claims a due head for the process `owner` until `until`, unless another process holds a claim on
 * it that has not lapsed, or it is no longer the queued head it was (it ended meanwhile). True when
 * the row is now this process's to work. On PostgreSQL the row is locked while it is claimed and a
 * row another process is claiming right now is skipped, not waited for; one process on SQLite has
 * nobody to claim from.
 */
export async function claimDelivery(
  db: Db,
  id: number,
  claim: { readonly owner: string; readonly now: string; readonly until: string },
): Promise<boolean> {
  if (!onPostgres(db)) return true
  const claimable = db
    .selectFrom('deliveries')
    .select('id')
    .where('id', '=', id)
    .where('status', '=', QUEUED)
    .where('ready', '=', READY)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', claim.now)]))
    .forUpdate()
    .skipLocked()
  const claimed = await db
    .updateTable('deliveries')
    .set({ claimed_by: claim.owner, claimed_until: claim.until })
    .where('id', 'in', claimable)
    .executeTakeFirst()
  return claimed.numUpdatedRows === 1n
}

/** The earliest time a head becomes due (or its claim lapses, when later), if any row is queued. */
export async function nextDueAt(db: Db): Promise<string | undefined> {
  // Two reads on indexes, not one over every head (1.4 ms with 2,000 tickets waiting for Slack):
  // the first head in due order that no claim holds past its time (deliveries_due), and the
  // claims that do, a process's few rows in flight (deliveries_claimed).
  const free = await db
    .selectFrom('deliveries')
    .select('next_attempt_at as at')
    .where('status', '=', QUEUED)
    .where('ready', '=', READY)
    .where((eb) =>
      eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', eb.ref('next_attempt_at'))]),
    )
    .orderBy('next_attempt_at')
    .limit(sql.lit(1))
    .executeTakeFirst()
  const held = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('claimed_until').as('at'))
    .where('status', '=', QUEUED)
    .where('claimed_until', 'is not', null)
    .where('ready', '=', READY)
    .where('claimed_until', '>', (eb) => eb.ref('next_attempt_at'))
    .executeTakeFirst()
  const times = [free?.at, held?.at ?? undefined].filter((at) => at !== undefined)
  return times.length === 0 ? undefined : times.reduce((a, b) => (a < b ? a : b))
}

const endRow = compiledOnce(
  (db, r: { id: number; status: DeliveryStatus; at: string; attempt: number; error: string | null }) =>
    db
      .updateTable('deliveries')
      .set((eb) => ({
        status: r.status,
        done_at: r.at,
        attempts: eb('attempts', '+', r.attempt),
        last_error: eb.fn.coalesce(eb.val(r.error), eb.ref('last_error')),
      }))
      .where('id', '=', r.id),
)
/** The first row queued in a lane, by the shape of its lane (a ticket's, or the shared one). */
const firstQueued = (ofTicket: boolean) =>
  compiledOnce((db, l: { ticketId: number | null; lane: Lane }) =>
    db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.min('id').as('id'))
      .where('status', '=', QUEUED)
      .where(inLane(ofTicket ? l.ticketId : null, l.lane)),
  )
const firstQueuedOfTicket = firstQueued(true)
const firstQueuedWithoutTicket = firstQueued(false)
const makeHead = compiledOnce((db, r: { id: number }) =>
  db.updateTable('deliveries').set({ ready: 1 }).where('id', '=', r.id),
)

/** Ends a row (sent, failed for good, or cancelled) and makes the next row of its lane the head. */
export async function endDelivery(
  db: Db,
  row: Pick<Delivery, 'id' | 'ticket_id' | 'lane'>,
  outcome: { status: 'sent' } | { status: 'failed'; error: string } | { status: 'cancelled' },
  at: string,
): Promise<void> {
  await endRow(db, {
    id: row.id,
    status: outcome.status,
    at,
    attempt: outcome.status === 'cancelled' ? 0 : 1,
    error: outcome.status === 'failed' ? outcome.error : null,
  })
  const lane = { ticketId: row.ticket_id, lane: row.lane }
  const [next] = (await (row.ticket_id === null ? firstQueuedWithoutTicket : firstQueuedOfTicket)(db, lane))
    .rows
  if (next?.id != null) await makeHead(db, { id: next.id })
}

/** endDelivery in a transaction of its own. */
export async function finishDelivery(
  db: Db,
  row: Pick<Delivery, 'id' | 'ticket_id' | 'lane'>,
  outcome: { status: 'sent' } | { status: 'failed'; error: string },
  at: string,
): Promise<void> {
  await db.transaction().execute((tx) => endDelivery(tx, row, outcome, at))
}

/**
 * The send of a message that has not started yet (it waits out its undo window), if any: only such
 * a send can still be cancelled or changed. A send another process has claimed has started. On
 * PostgreSQL the row stays locked until the caller's transaction ends, so no process claims it
 * while it is being cancelled or changed.
 */
export async function pendingSendOf(
  db: Db,
  ticketId: number,
  messageId: number,
  now: string,
): Promise<Delivery | undefined> {
  const rows = await db
    .selectFrom('deliveries')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('kind', '=', 'customer.message')
    .where('status', '=', QUEUED)
    .where('next_attempt_at', '>', now)
    .where('attempts', '=', 0)
    .where('parts_sent', '=', 0)
    .where('claimed_by', 'is', null)
    .$if(onPostgres(db), (q) => q.forUpdate())
    .execute()
  return rows.find((r) => (JSON.parse(r.payload) as { messageId?: number }).messageId === messageId)
}

/**
 * A row's next try, one statement for each of: its claim kept, its claim given back. An error or a
 * failing-since given replaces the one held; null keeps it.
 */
const rescheduleRow = (release: boolean) =>
  compiledOnce(
    (
      db,
      r: {
        id: number
        nextAttemptAt: string
        error: string | null
        failingSince: string | null
        attempt: number
      },
    ) =>
      db
        .updateTable('deliveries')
        .set((eb) => ({
          next_attempt_at: r.nextAttemptAt,
          ...(release && { claimed_by: null, claimed_until: null }),
          last_error: eb.fn.coalesce(eb.val(r.error), eb.ref('last_error')),
          failing_since: eb.fn.coalesce(eb.val(r.failingSince), eb.ref('failing_since')),
          attempts: eb('attempts', '+', r.attempt),
        }))
        .where('id', '=', r.id),
  )
const rescheduleKept = rescheduleRow(false)
const rescheduleReleased = rescheduleRow(true)

/**
 * Puts a row off until `nextAttemptAt`. Only a failed try counts as an attempt: a wait the platform
 * asked for, or pacing, does not.
 */
export async function reschedule(
  db: Db,
  id: number,
  change: {
    nextAttemptAt: string
    error?: string
    attempt?: boolean
    failingSince?: string
    /** The process that claimed the row gives it back: any process may try it when it is due. */
    release?: boolean
  },
): Promise<void> {
  await (change.release === true ? rescheduleReleased : rescheduleKept)(db, {
    id,
    nextAttemptAt: change.nextAttemptAt,
    error: change.error ?? null,
    failingSince: change.failingSince ?? null,
    attempt: change.attempt === true ? 1 : 0,
  })
}

/**
 * Puts rows off until their moments (pacing, or a target that asked to wait), all in one
 * transaction. Not an attempt; lost in a crash, the rows are only due again, and paced again.
 */
export async function putOff(db: Db, waits: readonly { id: number; at: string }[]): Promise<void> {
  if (waits.length === 0) return
  await db.transaction().execute(async (tx) => {
    for (const { id, at } of waits) await reschedule(tx, id, { nextAttemptAt: at })
  })
}

/** Records that the first `count` parts of a long message left. */
export async function setPartsSent(db: Db, id: number, count: number): Promise<void> {
  await db.updateTable('deliveries').set({ parts_sent: count }).where('id', '=', id).execute()
}

/**
 * Marks the ticket's later queued root updates as done: the update being delivered now
 * renders the ticket's current state, which already contains them.
 */
export async function absorbLaterUpdates(
  db: Db,
  ticketId: number,
  afterId: number,
  at: string,
): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ status: 'sent', done_at: at, last_error: 'coalesced' })
    .where('ticket_id', '=', ticketId)
    .where('status', '=', QUEUED)
    .where('id', '>', afterId)
    .where('kind', '=', 'desk.update')
    .execute()
}

/**
 * The queued rows right behind `row` in its lane, in lane order, at most `limit`: what the lane
 * holds next while `row` is its head.
 */
export async function queuedBehind(
  db: Db,
  row: Pick<Delivery, 'id' | 'ticket_id' | 'lane'>,
  limit: number,
): Promise<Delivery[]> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('status', '=', QUEUED)
    .where(inLane(row.ticket_id, row.lane))
    .where('id', '>', row.id)
    .orderBy('id')
    .limit(sql.lit(limit))
    .execute()
}

/**
 * Marks rows queued behind a head as sent by the head's own post (a thread entry its post showed).
 * Part of the head's bookkeeping, in its transaction: they end with it or not at all.
 */
export async function absorbEntries(db: Db, ids: readonly number[], at: string): Promise<void> {
  if (ids.length === 0) return
  await db
    .updateTable('deliveries')
    .set((eb) => ({ status: 'sent', done_at: at, attempts: eb('attempts', '+', 1), last_error: 'coalesced' }))
    .where('id', 'in', ids)
    .where('status', '=', QUEUED)
    .execute()
}

/**
 * Makes the row after `row` in its lane (once the rows that end with `row` have ended) due no
 * earlier than `at`, when `row` went. It then waits behind the rows that were already waiting for
 * the same target meanwhile, instead of going before them for having been queued long ago.
 */
export async function queueNextBehind(
  db: Db,
  row: Pick<Delivery, 'id' | 'ticket_id' | 'lane'>,
  at: string,
): Promise<void> {
  const next = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('id').as('id'))
    .where('status', '=', QUEUED)
    .where(inLane(row.ticket_id, row.lane))
    .where('id', '>', row.id)
    .executeTakeFirst()
  if (next?.id == null) return
  await db
    .updateTable('deliveries')
    .set({ next_attempt_at: at })
    .where('id', '=', next.id)
    .where('next_attempt_at', '<', at)
    .execute()
}

export async function deliveriesOf(db: Db, ticketId: number): Promise<Delivery[]> {
  return db.selectFrom('deliveries').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute()
}

/** The rows held back by failures: heads that were tried and are waiting for another try. */
export async function heldDeliveries(db: Db, limit: number): Promise<Delivery[]> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('status', '=', QUEUED)
    .where('ready', '=', READY)
    .where('last_error', 'is not', null)
    .orderBy('id')
    .limit(sql.lit(limit))
    .execute()
}

/** How much is queued, and since when the oldest queued row waits. */
export async function queueStats(db: Db): Promise<{ queued: number; oldestCreatedAt: string | null }> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => [eb.fn.countAll<number>().as('queued'), eb.fn.min('created_at').as('oldest')])
    .where('status', '=', QUEUED)
    .executeTakeFirst()
  return { queued: Number(row?.queued ?? 0), oldestCreatedAt: row?.oldest ?? null }
}

/** Makes every waiting head due now; returns how many. */
export async function retryHeldNow(db: Db, now: string): Promise<number> {
  const result = await db
    .updateTable('deliveries')
    .set({ next_attempt_at: now })
    .where('status', '=', QUEUED)
    .where('ready', '=', READY)
    .where('next_attempt_at', '>', now)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** Waiting rows per service (`slack`, a customer channel, `customer-info`), with the oldest one's age. */
export async function queueByService(
  db: Db,
  now: string,
): Promise<{ service: string; queued: number; oldestAgeS: number }[]> {
  const rows = await sql<{ service: string; queued: number; oldest: string }>`
    select ${serviceOf(db)} as service,
           count(*) as queued,
           min(d.created_at) as oldest
    from deliveries d left join tickets t on t.id = d.ticket_id
    where d.status = 'queued'
    group by 1`.execute(db)
  const at = new Date(now).getTime()
  return rows.rows.map((r) => ({
    service: r.service,
    queued: Number(r.queued),
    oldestAgeS: Math.max(0, (at - new Date(r.oldest).getTime()) / 1000),
  }))
}

/**
 * Looks at the `window` rows that follow the id `after` (the first ones when undefined) and deletes
 * those that ended (sent, failed, cancelled) before `before`; queued rows are never touched. Resolves
 * with how many went and the id the next window starts after (undefined once the last was looked at).
 */
export async function sweepEnded(
  db: Db,
  before: string,
  after: number | undefined,
  window: number,
): Promise<{ forgotten: number; next: number | undefined }> {
  const last = await db
    .selectFrom('deliveries')
    .select('id')
    .where('id', '>', after ?? 0)
    .orderBy('id')
    .limit(1)
    .offset(window - 1)
    .executeTakeFirst()
  const gone = await db
    .deleteFrom('deliveries')
    .where('id', '>', after ?? 0)
    .$if(last !== undefined, (q) => q.where('id', '<=', last!.id))
    .where('done_at', '<', before)
    .executeTakeFirst()
  return { forgotten: Number(gone.numDeletedRows), next: last?.id }
}
