import type { Db } from '../connection.js'
import type { Agent } from '../schema.js'

/** The agent for a desk user, created with role `agent` the first time they act. */
export async function ensureAgent(db: Db, deskUserId: string, at: string): Promise<Agent> {
  await db
    .insertInto('agents')
    .values({ desk_user_id: deskUserId, role: 'agent', created_at: at })
    .onConflict((oc) => oc.column('desk_user_id').doNothing())
    .execute()
  return db.selectFrom('agents').selectAll().where('desk_user_id', '=', deskUserId).executeTakeFirstOrThrow()
}

/** The desk user id of an agent, or null for none. */
export async function deskUserIdOf(db: Db, agentId: number | null): Promise<string | null> {
  if (agentId === null) return null
  const row = await db
    .selectFrom('agents')
    .select('desk_user_id')
    .where('id', '=', agentId)
    .executeTakeFirst()
  return row?.desk_user_id ?? null
}

/** What decides whether a known person may act: their role, and whether an admin took it away. */
export async function agentStanding(
  db: Db,
  deskUserId: string,
): Promise<Pick<Agent, 'role' | 'removed_at'> | undefined> {
  return db
    .selectFrom('agents')
    .select(['role', 'removed_at'])
    .where('desk_user_id', '=', deskUserId)
    .executeTakeFirst()
}

/**
 * The agent who takes the next ticket: on shift, among `among` when given, holding fewer than
 * `capacity` new and open tickets, not `except`; of those, the one whose last ticket came longest
 * ago (round-robin). Undefined when nobody can take it.
 */
export async function nextAgentToAssign(
  db: Db,
  choice: { capacity: number; among?: readonly string[] | undefined; except?: number | undefined },
): Promise<Pick<Agent, 'id' | 'desk_user_id'> | undefined> {
  let query = db
    .selectFrom('agents as a')
    .leftJoin('tickets as t', (join) =>
      join.onRef('t.assignee_id', '=', 'a.id').on('t.status', 'in', ['new', 'open']),
    )
    .select(['a.id', 'a.desk_user_id'])
    .where('a.on_shift', '=', 1)
    .groupBy(['a.id', 'a.desk_user_id', 'a.last_assigned_at'])
    .having((eb) => eb.fn.count('t.id'), '<', choice.capacity)
    .orderBy((eb) => eb.fn.coalesce('a.last_assigned_at', eb.val('')))
    .orderBy('a.id')
    .limit(1)
  if (choice.among !== undefined) query = query.where('a.desk_user_id', 'in', [...choice.among])
  if (choice.except !== undefined) query = query.where('a.id', '!=', choice.except)
  return query.executeTakeFirst()
}

/** Records that an agent was just given a ticket: round-robin gives the next ones to others first. */
export async function markAssigned(db: Db, agentId: number, at: string): Promise<void> {
  await db.updateTable('agents').set({ last_assigned_at: at }).where('id', '=', agentId).execute()
}

/** Puts an agent on shift (they take new tickets) or off it. */
export async function setOnShift(db: Db, agentId: number, on: boolean): Promise<void> {
  await db
    .updateTable('agents')
    .set({ on_shift: on ? 1 : 0 })
    .where('id', '=', agentId)
    .execute()
}
