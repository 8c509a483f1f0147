import type { WebClient } from '@slack/web-api'
import type { DeskDirectory } from '../../src/core/ports.js'
import { call } from './errors.js'

/** Slack's people directory: users.info for who someone is, usergroups.users.list for a group. */
export function createSlackDirectory(client: WebClient): DeskDirectory {
  let ourTeam: Promise<string | undefined> | undefined

  return {
    async person(deskUserId) {
      ourTeam ??= call('auth.test', () => client.auth.test()).then(
        (r) => r.team_id,
        () => {
          ourTeam = undefined
          return undefined
        },
      )
      const [team, info] = await Promise.all([
        ourTeam,
        call('users.info', () => client.users.info({ user: deskUserId })),
      ])
      const user = info.user
      if (user === undefined) throw new Error(`users.info returned no user for ${deskUserId}`)
      return {
        guest: user.is_restricted === true || user.is_ultra_restricted === true,
        external:
          user.is_stranger === true ||
          (team !== undefined && user.team_id !== undefined && user.team_id !== team),
        inactive: user.deleted === true || user.is_bot === true,
      }
    },

    async groupMembers(groupId) {
      const res = await call('usergroups.users.list', () =>
        client.usergroups.users.list({ usergroup: groupId }),
      )
      return new Set(res.users ?? [])
    },
  }
}
