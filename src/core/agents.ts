import type { Db } from '../db/connection.js'
import {
  activeAgents,
  addAgentIfNew,
  addRemovedAgent,
  agentStanding,
  ensureAgent,
  findAgent,
  grantRole,
  hasOtherAdmin,
  removeAgent,
} from '../db/repos/agents.js'
import { DeskError } from './errors.js'
import type { Actor } from './actor.js'
import type { AgentRole } from './model.js'
import { createWork, type WorkDeps } from './work.js'

export const ROLES: readonly AgentRole[] = ['agent', 'supervisor', 'admin']
const rank: Record<AgentRole, number> = { agent: 0, supervisor: 1, admin: 2 }

export type Agents = ReturnType<typeof createAgents>

/** Who may do what: roles kept in the database, changed by admins. */
export function createAgents(deps: WorkDeps) {
  const { inTransaction } = createWork(deps)

  async function requireAnotherAdmin(tx: Db, adminId: number): Promise<void> {
    if (!(await hasOtherAdmin(tx, adminId)))
      throw new DeskError('conflict', 'That is the last admin; make someone else admin first.')
  }

  async function requireAdmin(tx: Db, actor: Actor, now: string): Promise<void> {
    const me = await ensureAgent(tx, actor.deskUserId, now)
    if (me.role !== 'admin')
      throw new DeskError('forbidden', 'Only admins change roles. `/agents list` shows who they are.')
  }

  return {
    /**
     * Gives a desk user a role (and access, if it was taken away); admins only. The last admin
     * cannot step down. Returns the role given.
     */
    async setRole(actor: Actor, deskUserId: string, role: string): Promise<AgentRole> {
      if (!ROLES.includes(role as AgentRole)) {
        throw new DeskError('invalid', `\`${role}\` is not a role; choose ${ROLES.join(', ')}.`)
      }
      return inTransaction(async (tx, now) => {
        await requireAdmin(tx, actor, now)
        const known = await findAgent(tx, deskUserId)
        const target = await ensureAgent(tx, deskUserId, now)
        if (known !== undefined && target.role === role && target.removed_at === null)
          throw new DeskError('conflict', `${deskUserId} already has the role ${role}.`, {
            detail: { kind: 'already_has_role', deskUserId, role: target.role },
          })
        if (target.role === 'admin' && role !== 'admin') await requireAnotherAdmin(tx, target.id)
        await grantRole(tx, target.id, role as AgentRole)
        return role as AgentRole
      })
    },

    /** Takes a desk user's access away; admins only. Their past work stays theirs. */
    async remove(actor: Actor, deskUserId: string): Promise<void> {
      return inTransaction(async (tx, now) => {
        await requireAdmin(tx, actor, now)
        const target = await findAgent(tx, deskUserId)
        if (target?.removed_at != null)
          throw new DeskError('conflict', `${deskUserId} has no access to take away.`, {
            detail: { kind: 'no_access_to_remove', deskUserId },
          })
        if (target === undefined) {
          // Someone who acts through the agent group: remembered as removed, so the group lets them in no more.
          await addRemovedAgent(tx, deskUserId, now)
        } else {
          if (target.role === 'admin') await requireAnotherAdmin(tx, target.id)
          await removeAgent(tx, target.id, now)
        }
      })
    },

    /** Everyone who may work tickets by name (members of the agent group act too, unlisted until they do). */
    async list(): Promise<{ deskUserId: string; role: AgentRole }[]> {
      return (await activeAgents(deps.db))
        .map((r) => ({ deskUserId: r.desk_user_id, role: r.role }))
        .sort((a, b) => rank[b.role] - rank[a.role] || a.deskUserId.localeCompare(b.deskUserId))
    },
  }
}

/**
 * Seeds roles from SLACK_SUPERVISORS / SLACK_ADMINS: each listed user who has no row yet gets the
 * role. Someone the desk already knows keeps what admins decided (a role changed, access removed).
 */
export async function seedRoles(
  db: Db,
  deskUserIds: readonly string[],
  role: AgentRole,
  now: string,
): Promise<void> {
  for (const id of deskUserIds) await addAgentIfNew(db, id, role, now)
}

/** Whether a desk user holds at least this role (someone without a row holds none). */
export async function atLeast(db: Db, deskUserId: string, role: AgentRole): Promise<boolean> {
  const agent = await agentStanding(db, deskUserId)
  return agent !== undefined && agent.removed_at === null && rank[agent.role] >= rank[role]
}
