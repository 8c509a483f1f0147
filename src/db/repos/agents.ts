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

export async function findAgentById(db: Db, id: number): Promise<Agent | undefined> {
  return db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst()
}
