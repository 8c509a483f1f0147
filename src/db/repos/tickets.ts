import type { Channel, Priority, TicketStatus } from '../../core/model.js'
import type { ThreadRef } from '../../core/ports.js'
import { compiledOnce, onlyRow } from '../compiled-once.js'
import type { Db } from '../connection.js'
import type { Ticket } from '../schema.js'
import { tagsOf } from './ticket-tags.js'
import { answersOf } from './intake.js'

const ticketById = compiledOnce((db, t: { id: number }) =>
  db.selectFrom('tickets').selectAll().where('id', '=', t.id),
)

export async function findTicket(db: Db, id: number): Promise<Ticket | undefined> {
  return (await ticketById(db, { id })).rows[0]
}

const insertTicket = compiledOnce(
  (
    db,
    t: {
      contactId: number
      channel: Channel
      subject: string
      followUpOf: number | null
      lastCustomerMessageAt: string
      at: string
    },
  ) =>
    db
      .insertInto('tickets')
      .values({
        contact_id: t.contactId,
        channel: t.channel,
        status: 'new',
        subject: t.subject,
        follow_up_of: t.followUpOf,
        created_at: t.at,
        updated_at: t.at,
        last_customer_message_at: t.lastCustomerMessageAt,
      })
      .returningAll(),
)

/** Opens a ticket with a contact's first message; a follow-up names the closed ticket it follows. */
export async function createTicket(
  db: Db,
  ticket: {
    contactId: number
    channel: Channel
    subject: string
    followUpOf: number | null
    lastCustomerMessageAt: string
  },
  at: string,
): Promise<Ticket> {
  return onlyRow(await insertTicket(db, { ...ticket, at }), 'createTicket')
}

/** The new and open tickets an agent holds, oldest first. */
export async function newAndOpenTicketsOf(db: Db, agentId: number): Promise<Ticket[]> {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('assignee_id', '=', agentId)
    .where('status', 'in', ['new', 'open'])
    .orderBy('id')
    .execute()
}

export async function findTicketByThread(db: Db, channel: string, ts: string): Promise<Ticket | undefined> {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('thread_channel', '=', channel)
    .where('thread_ts', '=', ts)
    .executeTakeFirst()
}

const ticketDetail = compiledOnce((db, t: { id: number }) =>
  db
    .selectFrom('tickets as t')
    .innerJoin('contacts as c', 'c.id', 't.contact_id')
    .leftJoin('agents as a', 'a.id', 't.assignee_id')
    .selectAll('t')
    .select([
      'c.avatar_url as customer_avatar_url',
      'c.display_name as customer_name',
      'c.username as customer_username',
      'c.external_id as contact_external_id',
      'c.blocked_at as contact_blocked_at',
    ])
    .select('a.desk_user_id as assignee_desk_user_id')
    .where('t.id', '=', t.id),
)

/** One ticket with what the agent desk shows of it. */
export async function findTicketDetail(db: Db, id: number) {
  const [row] = (await ticketDetail(db, { id })).rows
  if (row === undefined) return undefined
  return { ...row, tags: await tagsOf(db, id), answers: await answersOf(db, id) }
}
export type TicketDetail = NonNullable<Awaited<ReturnType<typeof findTicketDetail>>>

/** Sets one of what a ticket is about (priority, type, topic), and marks the ticket changed. */
export async function setTicketField(
  db: Db,
  ticketId: number,
  field: 'priority' | 'type' | 'topic',
  value: string | null,
  at: string,
): Promise<void> {
  await db
    .updateTable('tickets')
    .set({ [field]: value, updated_at: at })
    .where('id', '=', ticketId)
    .execute()
}

/** Marks a ticket changed at `at`. */
export async function touchTicket(db: Db, ticketId: number, at: string): Promise<void> {
  await db.updateTable('tickets').set({ updated_at: at }).where('id', '=', ticketId).execute()
}

/** Forgets the Slack channel a rule chose for a ticket, so its thread opens in the support channel. */
export async function clearDeskChannel(db: Db, ticketId: number): Promise<void> {
  await db.updateTable('tickets').set({ desk_channel: null }).where('id', '=', ticketId).execute()
}

/** Records where the ticket's root message was posted: its thread. */
export async function setThread(db: Db, ticketId: number, thread: ThreadRef): Promise<void> {
  await db
    .updateTable('tickets')
    .set({ thread_channel: thread.channel, thread_ts: thread.ts })
    .where('id', '=', ticketId)
    .execute()
}

/** Keeps what the customer-info service said about the ticket's customer (CustomerInfo as JSON). */
export async function setCustomerInfo(db: Db, ticketId: number, infoJson: string): Promise<void> {
  await db.updateTable('tickets').set({ customer_info: infoJson }).where('id', '=', ticketId).execute()
}

/** Sets what a creation rule decided for a new ticket: priority, type, the Slack channel of its thread. */
export async function classifyTicket(
  db: Db,
  ticketId: number,
  fields: { priority?: Priority; type?: string; desk_channel?: string },
): Promise<void> {
  // A rule that only tags sets no field: an empty SET would be invalid SQL.
  if (Object.values(fields).every((v) => v === undefined)) return
  await db.updateTable('tickets').set(fields).where('id', '=', ticketId).execute()
}

/** Moves a ticket to a status, with when it was solved and closed (null for not), and marks it changed. */
export async function setTicketStatus(
  db: Db,
  ticketId: number,
  change: { status: TicketStatus; solvedAt: string | null; closedAt: string | null },
  at: string,
): Promise<void> {
  await db
    .updateTable('tickets')
    .set({ status: change.status, updated_at: at, solved_at: change.solvedAt, closed_at: change.closedAt })
    .where('id', '=', ticketId)
    .execute()
}

/** Gives a ticket to an agent (null: to nobody), and marks the ticket changed. */
export async function setAssignee(
  db: Db,
  ticketId: number,
  agentId: number | null,
  at: string,
): Promise<void> {
  await db
    .updateTable('tickets')
    .set({ assignee_id: agentId, updated_at: at })
    .where('id', '=', ticketId)
    .execute()
}

const customerWrote = compiledOnce(
  (db, w: { ticketId: number; writtenAt: string; awaitingReplySince: string | null; at: string }) =>
    db
      .updateTable('tickets')
      .set({
        last_customer_message_at: w.writtenAt,
        updated_at: w.at,
        awaiting_reply_since: w.awaitingReplySince,
      })
      .where('id', '=', w.ticketId),
)

/**
 * Records that the customer wrote again: when they wrote, and since when they wait for an answer
 * (null while no agent has answered yet); marks the ticket changed.
 */
export async function setCustomerWrote(
  db: Db,
  ticketId: number,
  wrote: { writtenAt: string; awaitingReplySince: string | null },
  at: string,
): Promise<void> {
  await customerWrote(db, { ticketId, ...wrote, at })
}

/**
 * Records that an agent answered: the first response when it is the first (`firstResponseAt`), and
 * the customer waits for nobody now; marks the ticket changed.
 */
export async function setAnswered(
  db: Db,
  ticketId: number,
  firstResponseAt: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('tickets')
    .set({ first_response_at: firstResponseAt, awaiting_reply_since: null, updated_at: at })
    .where('id', '=', ticketId)
    .execute()
}
