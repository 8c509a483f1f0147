import type { AgentRole } from '../../core/model.js'
import type { Db } from '../connection.js'
import type { Agent } from '../schema.js'

/** Adds a desk user with a role, unless the desk knows them already (whatever their role or access now). */
export async function addAgentIfNew(db: Db, deskUserId: string, role: AgentRole, at: string): Promise<void> {
  await db
    .insertInto('agents')
    .values({ desk_user_id: deskUserId, role, created_at: at })
    .onConflict((oc) => oc.column('desk_user_id').doNothing())
    .execute()
}

/** The agent for a desk user, created with role `agent` the first time they act. */
export async function ensureAgent(db: Db, deskUserId: string, at: string): Promise<Agent> {
  await addAgentIfNew(db, deskUserId, 'agent', at)
  return db.selectFrom('agents').selectAll().where('desk_user_id', '=', deskUserId).executeTakeFirstOrThrow()
}

/** The agent a desk user is, if the desk knows them (also when their access was taken away). */
export async function findAgent(db: Db, deskUserId: string): Promise<Agent | undefined> {
  return db.selectFrom('agents').selectAll().where('desk_user_id', '=', deskUserId).executeTakeFirst()
}

/** Everyone whose access stands, with their role, in no particular order. */
export async function activeAgents(db: Db): Promise<Pick<Agent, 'desk_user_id' | 'role'>[]> {
  return db.selectFrom('agents').select(['desk_user_id', 'role']).where('removed_at', 'is', null).execute()
}

/** The desk user ids of the supervisors and admins whose access stands. */
export async function supervisorIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('agents')
    .select('desk_user_id')
    .where('role', 'in', ['supervisor', 'admin'])
    .where('removed_at', 'is', null)
    .execute()
  return rows.map((a) => a.desk_user_id)
}

/** Whether an admin other than this agent still has access. */
export async function hasOtherAdmin(db: Db, agentId: number): Promise<boolean> {
  const other = await db
    .selectFrom('agents')
    .select('id')
    .where('role', '=', 'admin')
    .where('removed_at', 'is', null)
    .where('id', '!=', agentId)
    .executeTakeFirst()
  return other !== undefined
}

/** Gives an agent a role, and their access back if it was taken away. */
export async function grantRole(db: Db, agentId: number, role: AgentRole): Promise<void> {
  await db.updateTable('agents').set({ role, removed_at: null }).where('id', '=', agentId).execute()
}

/** Takes an agent's access away from `at`; their past work stays theirs. */
export async function removeAgent(db: Db, agentId: number, at: string): Promise<void> {
  await db.updateTable('agents').set({ removed_at: at }).where('id', '=', agentId).execute()
}

/** Remembers a desk user the desk had no row for as removed, from `at`. */
export async function addRemovedAgent(db: Db, deskUserId: string, at: string): Promise<void> {
  await db
    .insertInto('agents')
    .values({ desk_user_id: deskUserId, role: 'agent', created_at: at, removed_at: at })
    .execute()
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
