import type { Db } from '../db/connection.js'
import { ensureAgent } from '../db/repos/agents.js'
import { DeskError } from './errors.js'
import type { Actor } from './helpdesk.js'
import type { AgentRole } from './model.js'
import { createWork, type WorkDeps } from './work.js'

export const ROLES: readonly AgentRole[] = ['agent', 'supervisor', 'admin']
const rank: Record<AgentRole, number> = { agent: 0, supervisor: 1, admin: 2 }

export type Agents = ReturnType<typeof createAgents>

/** Who may do what: roles kept in the database, changed by admins. */
export function createAgents(deps: WorkDeps) {
  const { inTransaction } = createWork(deps)

  async function requireAdmin(tx: Db, actor: Actor, now: string): Promise<void> {
    const me = await ensureAgent(tx, actor.deskUserId, now)
    if (me.role !== 'admin')
      throw new DeskError('forbidden', 'Only admins change roles. `/agents list` shows who they are.')
  }

  return {
    /** Gives a desk user a role; admins only. The last admin cannot step down. */
    async setRole(actor: Actor, deskUserId: string, role: string): Promise<string> {
      if (!ROLES.includes(role as AgentRole)) {
        throw new DeskError('invalid', `\`${role}\` is not a role; choose ${ROLES.join(', ')}.`)
      }
      return inTransaction(async (tx, now) => {
        await requireAdmin(tx, actor, now)
        const target = await ensureAgent(tx, deskUserId, now)
        if (target.role === role)
          throw new DeskError(
            'conflict',
            `<@${deskUserId}> is already ${role === 'agent' ? 'an' : 'a'} ${role}.`,
          )
        if (target.role === 'admin') {
          const admins = await tx.selectFrom('agents').select('id').where('role', '=', 'admin').execute()
          if (admins.length === 1)
            throw new DeskError('conflict', 'That is the last admin; make someone else admin first.')
        }
        await tx
          .updateTable('agents')
          .set({ role: role as AgentRole })
          .where('id', '=', target.id)
          .execute()
        return `<@${deskUserId}> is now ${role === 'agent' ? 'an' : 'a'} ${role}.`
      })
    },

    /** Everyone with a role above agent, and the agents who have worked tickets. */
    async list(): Promise<{ deskUserId: string; role: AgentRole }[]> {
      const rows = await deps.db.selectFrom('agents').select(['desk_user_id', 'role']).execute()
      return rows
        .map((r) => ({ deskUserId: r.desk_user_id, role: r.role }))
        .sort((a, b) => rank[b.role] - rank[a.role] || a.deskUserId.localeCompare(b.deskUserId))
    },
  }
}

/** Gives these desk users at least this role: start-up seeding from SLACK_SUPERVISORS / SLACK_ADMINS. */
export async function grantAtLeast(
  db: Db,
  deskUserIds: readonly string[],
  role: AgentRole,
  now: string,
): Promise<void> {
  for (const id of deskUserIds) {
    const agent = await ensureAgent(db, id, now)
    if (rank[agent.role] < rank[role])
      await db.updateTable('agents').set({ role }).where('id', '=', agent.id).execute()
  }
}

/** Whether a desk user holds at least this role (someone without a row holds none). */
export async function atLeast(db: Db, deskUserId: string, role: AgentRole): Promise<boolean> {
  const agent = await db
    .selectFrom('agents')
    .select('role')
    .where('desk_user_id', '=', deskUserId)
    .executeTakeFirst()
  return agent !== undefined && rank[agent.role] >= rank[role]
}
