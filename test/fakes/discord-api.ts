import { json, listen, readParams } from './http.js'
import { readMultipart, serveFile, type FakeFile, type ReceivedFile } from './files.js'

export interface DiscordFailure {
  readonly status: number
  readonly code: number
  readonly message: string
  /** Seconds, for 429s. */
  readonly retryAfter?: number
}

/** A loopback Discord REST API (v10): opens DM channels and records the messages sent to them. */
export async function startFakeDiscord(token: string) {
  const sent: { channelId: string; content: string; components?: unknown }[] = []
  /** Interactions the bot answered, with the callback's type and when it came (ms since the epoch). */
  const callbacks: { id: string; type: number; at: number }[] = []
  /** Messages the bot changed (PATCH), as the customer now sees them. */
  const edits: { channelId: string; messageId: string; content: string; components: unknown }[] = []
  const opened: string[] = []
  const failures: DiscordFailure[] = []
  /** Files customers attached, served by the CDN (no token; the signed link is the key). */
  const cdn = new Map<string, FakeFile>()
  /** Files the bot sent, with the message's payload_json. */
  const files: { channelId: string; payload: Record<string, unknown>; file: ReceivedFile }[] = []
  let seq = 0
  const server = await listen(async (req, res) => {
    const attachment = /^\/attachments\/(.+?)(\?.*)?$/.exec(req.url ?? '')
    if (req.method === 'GET' && attachment !== null) {
      const file = cdn.get(attachment[1] ?? '')
      if (file === undefined) return json(res, 404, { message: 'Not Found' })
      return serveFile(res, file)
    }
    // Interaction callbacks are authorised by the interaction's own token, not the bot's.
    const callback = /^\/api\/v10\/interactions\/(\d+)\/([\w.-]+)\/callback(\?.*)?$/.exec(req.url ?? '')
    if (req.method === 'POST' && callback !== null) {
      const body = await readParams(req)
      if (callback[2] !== `token-${callback[1]}`)
        return json(res, 401, { message: 'Invalid interaction token' })
      if (callbacks.some((c) => c.id === callback[1]))
        return json(res, 400, { message: 'Interaction has already been acknowledged.', code: 40060 })
      callbacks.push({ id: callback[1] ?? '', type: Number(body.type), at: Date.now() })
      res.writeHead(204).end()
      return
    }
    if (req.headers.authorization !== `Bot ${token}`)
      return json(res, 401, { message: '401: Unauthorized', code: 0 })
    const multipart = (req.headers['content-type'] ?? '').startsWith('multipart/form-data')
    const form = multipart ? await readMultipart(req) : undefined
    const body: Record<string, unknown> =
      form === undefined
        ? await readParams(req)
        : (JSON.parse(form.fields.payload_json ?? '{}') as Record<string, unknown>)
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
    const patch = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)
    if (req.method === 'PATCH' && patch !== null) {
      edits.push({
        channelId: patch[1] ?? '',
        messageId: patch[2] ?? '',
        content: String(body.content),
        components: body.components,
      })
      return json(res, 200, { id: patch[2], channel_id: patch[1], content: body.content, type: 0 })
    }
    const match = /^\/channels\/(\d+)\/messages$/.exec(path)
    if (req.method === 'POST' && match !== null) {
      const channelId = match[1] ?? ''
      const file = form?.files['files[0]']
      if (file !== undefined) files.push({ channelId, payload: body, file })
      else
        sent.push({
          channelId,
          content: String(body.content),
          ...(body.components !== undefined && { components: body.components }),
        })
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
    callbacks,
    edits,
    opened,
    files,
    /** A file a customer attached: its CDN URL, as a MESSAGE_CREATE's attachment carries it. */
    attach(path: string, file: FakeFile): string {
      cdn.set(path, file)
      return `${server.url}/attachments/${path}?ex=1&is=2&hm=abc`
    },
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

let interactionSeq = 0
/**
 * An INTERACTION_CREATE payload for a button pressed under a message of the bot's, in a DM; its
 * token is what the fake's callback route expects.
 */
export function buttonPress(
  customId: string,
  message: { id: string; channelId: string },
  userId = '800000000000000001',
) {
  const id = String(1400000000000000000n + BigInt(++interactionSeq))
  return {
    id,
    application_id: '1000000000000000042',
    type: 3,
    token: `token-${id}`,
    version: 1,
    channel_id: message.channelId,
    channel: { id: message.channelId, type: 1 },
    user: { id: userId, username: 'ada', global_name: 'Ada L', avatar: null, discriminator: '0' },
    data: { custom_id: customId, component_type: 2 },
    message: messageCreate({
      id: message.id,
      channel_id: message.channelId,
      content: 'menu',
      author: {
        id: '1000000000000000042',
        username: 'acme-support',
        discriminator: '0',
        avatar: null,
        bot: true,
      },
    }),
    locale: 'en-US',
    app_permissions: '0',
    entitlements: [],
    authorizing_integration_owners: {},
    context: 1,
    attachment_size_limit: 10485760,
  }
}
