import type { Db } from '../db/connection.js'
import { agentStanding } from '../db/repos/agents.js'
import type { Clock } from './clock.js'
import type { Logger } from './logger.js'
import type { AgentRole } from './model.js'
import type { DeskDirectory, DeskPerson } from './ports.js'

/** Whether someone may work tickets, and if not, why (for the log; they get one polite answer). */
export type AccessVerdict =
  | { readonly ok: true; readonly role: AgentRole }
  | { readonly ok: false; readonly reason: 'removed' | 'guest' | 'external' | 'inactive' | 'unknown' }

/** How long what the directory said is trusted. */
const PERSON_TTL_MS = 10 * 60_000
const GROUP_TTL_MS = 5 * 60_000

/**
 * Who may act: an agent is someone the desk knows. The roles table decides first (an admin added
 * them by name, or took their access away); else a member of the agent group, unless a guest, an
 * external user or a deactivated account. Everyone else is refused. The directory's answers are
 * kept a few minutes; when it cannot be read, the last answer stands, and without one, nobody new
 * gets in.
 */
export function createAccess(deps: {
  db: Db
  clock: Clock
  log: Logger
  directory: DeskDirectory
  /** SLACK_AGENT_GROUP: a user group whose members are agents. */
  agentGroup?: string | undefined
}) {
  const { db, clock, log, directory } = deps
  const people = new Map<string, { at: number; person: DeskPerson }>()
  let group: { at: number; members: ReadonlySet<string> } | undefined

  async function person(id: string): Promise<DeskPerson | undefined> {
    const now = clock.now().getTime()
    const known = people.get(id)
    if (known !== undefined && now - known.at < PERSON_TTL_MS) return known.person
    try {
      const fresh = await directory.person(id)
      people.set(id, { at: now, person: fresh })
      return fresh
    } catch (error) {
      log.warn({ user: id, err: error }, 'could not read a person from the directory')
      return known?.person
    }
  }

  async function groupMembers(groupId: string): Promise<ReadonlySet<string>> {
    const now = clock.now().getTime()
    if (group !== undefined && now - group.at < GROUP_TTL_MS) return group.members
    try {
      group = { at: now, members: await directory.groupMembers(groupId) }
    } catch (error) {
      log.warn({ group: groupId, err: error }, 'could not read the agent group')
      if (group === undefined) return new Set()
    }
    return group.members
  }

  return {
    async check(deskUserId: string): Promise<AccessVerdict> {
      const row = await agentStanding(db, deskUserId)
      if (row !== undefined)
        return row.removed_at === null ? { ok: true, role: row.role } : { ok: false, reason: 'removed' }
      if (deps.agentGroup === undefined) return { ok: false, reason: 'unknown' }
      if (!(await groupMembers(deps.agentGroup)).has(deskUserId)) return { ok: false, reason: 'unknown' }
      const facts = await person(deskUserId)
      if (facts === undefined) return { ok: false, reason: 'unknown' }
      if (facts.inactive) return { ok: false, reason: 'inactive' }
      if (facts.guest) return { ok: false, reason: 'guest' }
      if (facts.external) return { ok: false, reason: 'external' }
      return { ok: true, role: 'agent' }
    },
  }
}

export type Access = ReturnType<typeof createAccess>
