import { createHash, randomBytes } from 'node:crypto'
import { apiKeyByHash, apiKeys, insertApiKey, revokeApiKey, touchApiKey } from '../db/repos/api-keys.js'
import type { ApiKey } from '../db/schema.js'
import type { Actor } from './actor.js'
import { atLeast } from './agents.js'
import { iso } from './clock.js'
import { DeskError } from './errors.js'
import { createWork, type WorkDeps } from './work.js'

/** What a key may do: `customer` speaks for a site's customers; `admin` also changes tickets. */
export type ApiRole = ApiKey['role']
export const API_ROLES: readonly ApiRole[] = ['customer', 'admin']

/** A key that authenticated a request. */
export interface ApiCaller {
  readonly keyId: number
  readonly name: string
  readonly role: ApiRole
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/
const KEY_PREFIX = 'td_'
const TOUCH_EVERY_MS = 60_000

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex')

/** The API's keys: admins create, list and revoke them from the desk; requests present them. */
export function createApiKeys(deps: WorkDeps) {
  const { db, clock } = deps
  const { inTransaction } = createWork(deps)

  async function requireAdmin(actor: Actor): Promise<void> {
    if (!(await atLeast(db, actor.deskUserId, 'admin')))
      throw new DeskError('forbidden', 'Only admins manage API keys.')
  }

  return {
    /** Creates a key; returns it, the only time it is ever shown (only its hash is kept). */
    async create(
      actor: Actor,
      name: string,
      role: string,
    ): Promise<{ name: string; role: ApiRole; key: string }> {
      await requireAdmin(actor)
      const key = name.toLowerCase()
      if (!NAME.test(key))
        throw new DeskError(
          'invalid',
          `\`${name}\` is not a key name: use lowercase letters, digits, - and _, at most 40.`,
        )
      if (!API_ROLES.includes(role as ApiRole))
        throw new DeskError('invalid', `\`${role}\` is not a key role; choose ${API_ROLES.join(' or ')}.`)
      const secret = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`
      const created = await inTransaction((tx, now) =>
        insertApiKey(
          tx,
          { name: key, hash: hashKey(secret), role: role as ApiRole, createdBy: actor.deskUserId },
          now,
        ),
      )
      if (!created)
        throw new DeskError(
          'conflict',
          `A key named \`${key}\` exists already (revoked keys keep their name).`,
        )
      return { name: key, role: role as ApiRole, key: secret }
    },

    async list(actor: Actor): Promise<ApiKey[]> {
      await requireAdmin(actor)
      return apiKeys(db)
    },

    async revoke(actor: Actor, name: string): Promise<void> {
      await requireAdmin(actor)
      if (!(await inTransaction((tx, now) => revokeApiKey(tx, name.toLowerCase(), now))))
        throw new DeskError('not_found', `No key named \`${name}\` is in use.`)
    },

    /** The key a request presented, if it is one and is not revoked. */
    async authenticate(presented: string): Promise<ApiCaller | undefined> {
      if (!presented.startsWith(KEY_PREFIX)) return undefined
      const row = await apiKeyByHash(db, hashKey(presented))
      if (row === undefined || row.revoked_at !== null) return undefined
      const now = clock.now()
      const stale = iso(new Date(now.getTime() - TOUCH_EVERY_MS))
      if (row.last_used_at === null || row.last_used_at < stale)
        await touchApiKey(db, row.id, iso(now), stale)
      return { keyId: row.id, name: row.name, role: row.role }
    },
  }
}

export type ApiKeys = ReturnType<typeof createApiKeys>
