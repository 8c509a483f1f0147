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
