import { z } from 'zod'
import type { AssignmentPolicy } from '../core/assignment.js'
import type { Channel } from '../core/model.js'
import { flag, parsed, settingsPart } from './part.js'

/** `billing=U1 U2; tech=U3`: groups of agents by Slack user id. */
function parseGroups(text: string): Record<string, string[]> {
  const groups: Record<string, string[]> = {}
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name = '', members = ''] = part.split('=')
    const ids = members.split(/[\s,]+/).filter(Boolean)
    if (!/^[\w-]+$/.test(name.trim()) || ids.length === 0 || ids.some((id) => !/^[UW][A-Z0-9]+$/.test(id))) {
      throw new Error(`"${part}" is not a group like billing=U0123 U0456`)
    }
    groups[name.trim()] = ids
  }
  return groups
}

/** `channel:discord=tech, type:incident=tech`: which tickets go to which group. */
function parseRules(text: string, channels: readonly Channel[]): AssignmentPolicy['rules'] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(channel|type):([\w-]+)=([\w-]+)$/.exec(part)
      if (match === null)
        throw new Error(`"${part}" is not a rule like channel:discord=tech or type:incident=tech`)
      const [, key, value = '', group = ''] = match
      if (key === 'channel' && !channels.includes(value))
        throw new Error(`"${value}" is not a channel (${channels.join(', ')})`)
      return key === 'channel' ? { channel: value, group } : { type: value, group }
    })
}

/** Who gets a new ticket: round-robin among agents on shift, within capacity and groups. */
export const assignmentSettings = (channels: readonly Channel[]) =>
  settingsPart({
    env: {
      AUTO_ASSIGN: flag,
      AGENT_CAPACITY: z.coerce.number({ message: 'must be a number of tickets' }).int().min(1).default(10),
      ASSIGN_GROUPS: parsed(parseGroups),
      ASSIGN_RULES: parsed((text) => parseRules(text, channels)),
      REASSIGN_ON_SHIFT_OFF: flag,
    },
    read: (e, problem): AssignmentPolicy | undefined => {
      for (const rule of e.ASSIGN_RULES ?? []) {
        if (e.ASSIGN_GROUPS?.[rule.group] === undefined)
          problem('ASSIGN_RULES', `names the group "${rule.group}", which ASSIGN_GROUPS does not define`)
      }
      if (!e.AUTO_ASSIGN) return undefined
      return {
        capacity: e.AGENT_CAPACITY,
        groups: e.ASSIGN_GROUPS ?? {},
        rules: e.ASSIGN_RULES ?? [],
        reassignOnShiftOff: e.REASSIGN_ON_SHIFT_OFF,
      }
    },
  })
