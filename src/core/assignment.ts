import type { Db } from '../db/connection.js'
import { nextAgentToAssign } from '../db/repos/agents.js'
import type { Channel } from './model.js'

/** Who takes new tickets: groups of agents, rules that route tickets to a group, a cap per agent. */
export interface AssignmentPolicy {
  /** Most new and open tickets an agent holds before the next one goes to someone else. */
  readonly capacity: number
  /** Group name → desk user ids. */
  readonly groups: Readonly<Record<string, readonly string[]>>
  /** The first rule that matches a ticket picks its group; no match: anyone on shift. */
  readonly rules: readonly { readonly channel?: Channel; readonly type?: string; readonly group: string }[]
  /** Hand an agent's open tickets to others when they go off shift. */
  readonly reassignOnShiftOff: boolean
}

/** The group a ticket goes to, by the first matching rule. */
export function groupFor(
  policy: AssignmentPolicy,
  ticket: { channel: Channel; type: string | null },
): string | undefined {
  return policy.rules.find(
    (r) =>
      (r.channel === undefined || r.channel === ticket.channel) &&
      (r.type === undefined || r.type === ticket.type),
  )?.group
}

/**
 * The next agent for a ticket: on shift, in the group when there is one, below capacity, and of
 * those the one whose last ticket came longest ago (round-robin). Undefined when nobody can take it.
 */
export async function pickAgent(
  db: Db,
  policy: AssignmentPolicy,
  ticket: { channel: Channel; type: string | null },
  except?: number,
): Promise<{ id: number; desk_user_id: string } | undefined> {
  const group = groupFor(policy, ticket)
  return nextAgentToAssign(db, {
    capacity: policy.capacity,
    among: group === undefined ? undefined : (policy.groups[group] ?? ['-']),
    except,
  })
}
