import type { Logger } from '../../src/core/logger.js'
import { graphCall } from '../meta/graph.js'
import type { InstagramGraph } from './outbound.js'

export interface InstagramProfile {
  readonly name: string
  readonly username?: string
  readonly avatarUrl?: string
  /** The lookup failed and `name` is a stand-in. */
  readonly provisional: boolean
}

const LOOKUP_TIMEOUT_MS = 3_000

/**
 * Reads a customer's name and picture from the Graph API once per user and keeps it. A slow or
 * failed lookup never blocks the message: it gets a stand-in name and is tried again next time.
 */
export function createProfileCache(graph: InstagramGraph, log: Logger) {
  const known = new Map<string, InstagramProfile>()
  return async function profileOf(userId: string): Promise<InstagramProfile> {
    const cached = known.get(userId)
    if (cached !== undefined) return cached
    const url = `${graph.graphUrl}/${graph.version}/${userId}?fields=name,username,profile_pic`
    try {
      const answer = await graphCall<{ name?: string; username?: string; profile_pic?: string }>(
        url,
        graph.token,
        {
          method: 'GET',
          timeoutMs: LOOKUP_TIMEOUT_MS,
        },
      )
      if (answer.ok) {
        const { name, username, profile_pic: avatarUrl } = answer.body
        const profile: InstagramProfile = {
          name: name ?? (username === undefined ? `Instagram user ${userId.slice(-4)}` : `@${username}`),
          ...(username !== undefined && { username }),
          ...(avatarUrl !== undefined && { avatarUrl }),
          provisional: false,
        }
        known.set(userId, profile)
        return profile
      }
      log.warn({ status: answer.status, code: answer.body.error?.code }, 'instagram profile lookup refused')
    } catch (error) {
      log.warn({ err: error }, 'instagram profile lookup failed')
    }
    return { name: `Instagram user ${userId.slice(-4)}`, provisional: true }
  }
}
