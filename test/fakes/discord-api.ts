import { json, listen, readParams } from './http.js'

export interface DiscordFailure {
  readonly status: number
  readonly code: number
  readonly message: string
  /** Seconds, for 429s. */
  readonly retryAfter?: number
}

/** A loopback Discord REST API (v10): opens DM channels and records the messages sent to them. */
export async function startFakeDiscord(token: string) {
  const sent: { channelId: string; content: string }[] = []
  const opened: string[] = []
  const failures: DiscordFailure[] = []
  let seq = 0
  const server = await listen(async (req, res) => {
    if (req.headers.authorization !== `Bot ${token}`)
      return json(res, 401, { message: '401: Unauthorized', code: 0 })
    const body = await readParams(req)
    const path = (req.url ?? '').replace(/^\/api\/v10/, '')
    const failure = failures.shift()
    if (failure !== undefined) {
      if (failure.status === 429) {
        const after = failure.retryAfter ?? 1
        return json(
          res,
          429,
          { message: 'You are being rate limited.', retry_after: after, global: false },
          {
            'retry-after': String(after),
            'x-ratelimit-scope': 'user',
          },
        )
      }
      return json(res, failure.status, { message: failure.message, code: failure.code })
    }
    if (req.method === 'GET' && path === '/users/@me') {
      return json(res, 200, {
        id: '1000000000000000042',
        username: 'acme-support',
        discriminator: '0',
        global_name: null,
        avatar: null,
        bot: true,
      })
    }
    if (req.method === 'POST' && path === '/users/@me/channels') {
      const recipient = String(body.recipient_id)
      opened.push(recipient)
      return json(res, 200, {
        id: `9${recipient}`,
        type: 1,
        recipients: [{ id: recipient, username: 'customer' }],
      })
    }
    const match = /^\/channels\/(\d+)\/messages$/.exec(path)
    if (req.method === 'POST' && match !== null) {
      const channelId = match[1] ?? ''
      sent.push({ channelId, content: String(body.content) })
      return json(res, 200, {
        id: String(1300000000000000000n + BigInt(++seq)),
        channel_id: channelId,
        content: body.content,
        type: 0,
      })
    }
    return json(res, 404, { message: '404: Not Found', code: 0 })
  })
  return {
    ...server,
    apiUrl: `${server.url}/api`,
    sent,
    opened,
    failNext: (...f: DiscordFailure[]) => failures.push(...f),
  }
}
export type FakeDiscord = Awaited<ReturnType<typeof startFakeDiscord>>

let seq = 0
/** A MESSAGE_CREATE payload as the gateway sends it; DMs carry channel_type 1. */
export function messageCreate(overrides: Record<string, unknown> = {}) {
  return {
    id: String(1200000000000000000n + BigInt(++seq)),
    channel_id: '1100000000000000001',
    channel_type: 1,
    author: {
      id: '800000000000000001',
      username: 'ada',
      global_name: 'Ada L',
      avatar: null,
      discriminator: '0',
    },
    content: 'Hello from Discord',
    timestamp: '2026-11-23T09:00:00.000Z',
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    ...overrides,
  }
}
