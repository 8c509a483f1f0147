import type { ActorType } from '../../core/model.js'
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

export async function recordEvent(db: Db, e: NewEvent, at: string): Promise<void> {
  await db
    .insertInto('events')
    .values({
      ticket_id: e.ticketId,
      actor_type: e.actor,
      agent_id: e.agentId ?? null,
      action: e.action,
      from_value: e.from ?? null,
      to_value: e.to ?? null,
      created_at: at,
    })
    .execute()
}

export async function eventsOf(db: Db, ticketId: number): Promise<TicketEvent[]> {
  return db.selectFrom('events').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute()
}
