import { json, listen, readParams } from './http.js'

export interface GraphFailure {
  readonly status: number
  readonly code: number
  readonly subcode?: number
  readonly message: string
  readonly retryAfter?: number
}

export interface GraphProfile {
  readonly name?: string
  readonly username?: string
  readonly profile_pic?: string
}

/**
 * A loopback Graph API: records message sends (WhatsApp Cloud and Instagram, each answered in its
 * own shape), serves user profiles, and fails on request.
 */
export async function startFakeGraph() {
  const sent: { path: string; authorization: string | undefined; body: Record<string, unknown> }[] = []
  const lookups: string[] = []
  const failures: GraphFailure[] = []
  const profiles = new Map<string, GraphProfile>()
  /** Objects a GET reads by id (a phone number, an account), before profiles. */
  const nodes = new Map<string, Record<string, unknown>>()
  /** Tokens Meta no longer accepts. */
  const revoked = new Set<string>()
  let failLookups = false
  let seq = 0

  const server = await listen(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://graph')
    if (revoked.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) {
      return json(res, 401, {
        error: {
          message: 'Error validating access token: The session has been invalidated.',
          type: 'OAuthException',
          code: 190,
          error_subcode: 460,
          fbtrace_id: 'X',
        },
      })
    }
    if (req.method === 'GET') {
      const userId = url.pathname.split('/').at(-1) ?? ''
      const node = nodes.get(userId)
      if (node !== undefined) return json(res, 200, { id: userId, ...node })
      lookups.push(userId)
      const profile = profiles.get(userId)
      if (failLookups || profile === undefined) {
        return json(res, 400, {
          error: { message: 'Unsupported get request', type: 'GraphMethodException', code: 100 },
        })
      }
      return json(res, 200, { id: userId, ...profile })
    }
    const body = await readParams(req)
    const failure = failures.shift()
    if (failure !== undefined) {
      const headers: Record<string, string> =
        failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) }
      const error = {
        message: failure.message,
        type: 'OAuthException',
        code: failure.code,
        error_subcode: failure.subcode,
        fbtrace_id: 'X',
      }
      return json(res, failure.status, { error }, headers)
    }
    sent.push({ path: url.pathname, authorization: req.headers.authorization, body })
    if (body.messaging_product === 'whatsapp') {
      return json(res, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id: `wamid.OUT${++seq}` }],
      })
    }
    return json(res, 200, {
      recipient_id: (body.recipient as { id: string }).id,
      message_id: `m_OUT${++seq}`,
    })
  })

  return {
    ...server,
    sent,
    lookups,
    profiles,
    nodes,
    /** Meta refuses this token from now on (error 190), as it does after a password change or a reset. */
    revoke: (token: string) => revoked.add(token),
    failNext: (...f: GraphFailure[]) => failures.push(...f),
    failProfileLookups: (fail: boolean) => {
      failLookups = fail
    },
  }
}
export type FakeGraph = Awaited<ReturnType<typeof startFakeGraph>>
