import type { ActorType } from '../../core/model.js'
import { compiledOnce } from '../compiled-once.js'
import type { Db } from '../connection.js'
import type { TicketEvent } from '../schema.js'

export interface NewEvent {
  ticketId: number
  actor: ActorType
  agentId?: number | null
  action: string
  from?: string | null
  to?: string | null
}

const insertEvent = compiledOnce((db, e: Required<NewEvent> & { at: string }) =>
  db.insertInto('events').values({
    ticket_id: e.ticketId,
    actor_type: e.actor,
    agent_id: e.agentId,
    action: e.action,
    from_value: e.from,
    to_value: e.to,
    created_at: e.at,
  }),
)

export async function recordEvent(db: Db, e: NewEvent, at: string): Promise<void> {
  await insertEvent(db, {
    ticketId: e.ticketId,
    actor: e.actor,
    agentId: e.agentId ?? null,
    action: e.action,
    from: e.from ?? null,
    to: e.to ?? null,
    at,
  })
}

/** Whether a ticket's audit log has a line of this action with this value. */
export async function hasEvent(db: Db, ticketId: number, action: string, to: string): Promise<boolean> {
  const seen = await db
    .selectFrom('events')
    .select('id')
    .where('ticket_id', '=', ticketId)
    .where('action', '=', action)
    .where('to_value', '=', to)
    .executeTakeFirst()
  return seen !== undefined
}

export async function eventsOf(db: Db, ticketId: number): Promise<TicketEvent[]> {
  return db.selectFrom('events').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute()
}

/** One line of a ticket's audit log, with the desk user id of the agent who acted (null for none). */
export type HistoryRow = Pick<
  TicketEvent,
  'created_at' | 'actor_type' | 'action' | 'from_value' | 'to_value'
> & {
  desk_user_id: string | null
}

/** A ticket's audit log, oldest first. */
export async function historyOf(db: Db, ticketId: number): Promise<HistoryRow[]> {
  return db
    .selectFrom('events as e')
    .leftJoin('agents as a', 'a.id', 'e.agent_id')
    .select(['e.created_at', 'e.actor_type', 'a.desk_user_id', 'e.action', 'e.from_value', 'e.to_value'])
    .where('e.ticket_id', '=', ticketId)
    .orderBy('e.id')
    .execute()
}

/** When a ticket's status changed and to what, oldest first: what its SLA pauses are made of. */
export async function statusChangesOf(
  db: Db,
  ticketId: number,
): Promise<Pick<TicketEvent, 'to_value' | 'created_at'>[]> {
  return (await statusChangesOfTickets(db, [ticketId])).get(ticketId) ?? []
}

/** The status changes of several tickets, each ticket's oldest first. */
export async function statusChangesOfTickets(
  db: Db,
  ticketIds: readonly number[],
): Promise<Map<number, Pick<TicketEvent, 'to_value' | 'created_at'>[]>> {
  const byTicket = new Map<number, Pick<TicketEvent, 'to_value' | 'created_at'>[]>()
  if (ticketIds.length === 0) return byTicket
  const rows = await db
    .selectFrom('events')
    .select(['ticket_id', 'to_value', 'created_at'])
    .where('ticket_id', 'in', [...ticketIds])
    .where('action', '=', 'status')
    .orderBy('ticket_id')
    .orderBy('id')
    .execute()
  for (const { ticket_id, ...change } of rows) {
    const changes = byTicket.get(ticket_id) ?? []
    changes.push(change)
    byTicket.set(ticket_id, changes)
  }
  return byTicket
}

/** The audit lines of these actions on several tickets, as `ticket action value` keys (see `eventKey`). */
export async function eventKeysOf(
  db: Db,
  ticketIds: readonly number[],
  actions: readonly string[],
): Promise<Set<string>> {
  if (ticketIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('events')
    .select(['ticket_id', 'action', 'to_value'])
    .where('ticket_id', 'in', [...ticketIds])
    .where('action', 'in', [...actions])
    .execute()
  return new Set(rows.map((r) => eventKey(r.ticket_id, r.action, r.to_value ?? '')))
}

/** One audit line's identity for `eventKeysOf`: which ticket, what action, what value. */
export const eventKey = (ticketId: number, action: string, value: string): string =>
  `${ticketId} ${action} ${value}`
