import { MANIFEST_BOT_SCOPES } from '../../adapters/slack/scopes.js'
import { createHash } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { json, listen, readParams } from './http.js'
import { serveFile, type FakeFile } from './files.js'
import type { FakeSlackSocket } from './slack-socket.js'

export interface SlackCall {
  readonly method: string
  readonly args: Record<string, unknown>
  /** When the call reached the fake (ms since the epoch). */
  readonly at: number
  /** Which caller made it, when it came through `apiUrlVia(tag)`. */
  readonly by?: string
}

/** A call the fake answered with `ok: true`, with what it answered: a post that reached Slack. */
export interface SlackAnswer extends SlackCall {
  readonly result: Record<string, unknown>
}

/** How Slack is down: every Web API call answers HTTP 500, or no connection is accepted at all. */
export type SlackOutage = 'http500' | 'refused'

/** Slack's per-channel limit on chat.postMessage: `perSecond` on average, `burst` at once. */
export interface PostRate {
  readonly perSecond: number
  readonly burst: number
}

/** A scripted answer for the next call of a method instead of success. */
export type SlackFailure =
  | { status: 500 }
  | { status: 429; retryAfter: number }
  | { error: string }
  /** HTTP 200 with this body as it is (a body cut short, a proxy's page). */
  | { body: string }

export const BOT_USER_ID = 'UBOT'
export const BOT_ID = 'BBOT'

/**
 * A loopback Slack Web API: answers the methods threaddesk calls the way Slack does, records
 * every call, and fails on request (HTTP 500, 429 with Retry-After, or `ok: false`). With a
 * `socket`, `apps.connections.open` hands out its URLs, as Slack does for Socket Mode. With a
 * `postRate`, chat.postMessage beyond it in one channel answers 429 with the Retry-After Slack
 * would give (a token bucket per channel). Callers that reach it through `apiUrlVia(tag)` are told
 * apart in what it records (`by`), so a test sees which process made each call.
 */
export async function startFakeSlack(
  opts: {
    socket?: FakeSlackSocket
    postRate?: PostRate
    /** Message ts on the wall clock, as Slack's are, instead of fixed ones tests can spell out. */
    wallClockTs?: boolean
  } = {},
) {
  const calls: SlackCall[] = []
  const failures = new Map<string, SlackFailure[]>()
  /** What users.info says about someone beyond the defaults (a guest, another team's user…). */
  const people = new Map<string, Record<string, unknown>>()
  const groups = new Map<string, string[]>()
  /** What conversations.info says about a channel beyond the defaults (not a member, archived…). */
  const conversations = new Map<string, Record<string, unknown>>()
  /** The scopes the installed app was granted, as Slack names them in `x-oauth-scopes`. */
  let granted: readonly string[] | undefined = MANIFEST_BOT_SCOPES
  let seq = 0
  const nextTs = () => {
    const seconds = opts.wallClockTs === true ? Math.floor(Date.now() / 1000) : 1763888400
    return `${seconds}.${String(++seq).padStart(6, '0')}`
  }

  const answer = (
    method: string,
    args: Record<string, unknown>,
    authorization: string,
  ): Record<string, unknown> => {
    switch (method) {
      case 'apps.connections.open':
        // Only an app-level token opens a socket; Slack refuses a bot token by name.
        if (authorization.startsWith('Bearer xoxb-')) return { ok: false, error: 'not_allowed_token_type' }
        if (!authorization.startsWith('Bearer xapp-')) return { ok: false, error: 'invalid_auth' }
        return opts.socket === undefined
          ? { ok: false, error: 'unknown_method' }
          : { ok: true, url: opts.socket.issueUrl() }
      case 'auth.test':
        return {
          ok: true,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
          team_id: 'T1',
          team: 'Acme',
          user: 'threaddesk',
          url: 'https://acme.slack.com/',
        }
      case 'conversations.info':
        return {
          ok: true,
          channel: {
            id: args.channel,
            name: 'support',
            is_channel: true,
            is_private: false,
            is_archived: false,
            is_member: true,
            ...conversations.get(String(args.channel)),
          },
        }
      case 'chat.postMessage':
        return { ok: true, channel: args.channel, ts: nextTs(), message: { text: args.text } }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() }
      case 'chat.getPermalink':
        return {
          ok: true,
          permalink: `https://acme.slack.com/archives/${String(args.channel)}/p${String(args.message_ts).replace('.', '')}`,
        }
      case 'users.info':
        return {
          ok: true,
          user: {
            id: args.user,
            team_id: 'T1',
            name: 'maria.s',
            real_name: 'Maria Sanchez',
            profile: { display_name: 'Maria', real_name: 'Maria Sanchez' },
            ...people.get(String(args.user)),
          },
        }
      case 'usergroups.users.list': {
        const users = groups.get(String(args.usergroup))
        return users === undefined ? { ok: false, error: 'no_such_subteam' } : { ok: true, users }
      }
      case 'reactions.add':
      case 'reactions.remove':
        return { ok: true }
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `${uploadBase}/upload/F${++seq}`, file_id: `F${seq}` }
      case 'files.completeUploadExternal':
        return { ok: true, files: (args.files as { id: string }[]).map((f) => ({ id: f.id })) }
      case 'views.open':
        return { ok: true, view: { id: 'V1' } }
      case 'views.publish':
        return { ok: true, view: { id: `VH${++seq}`, type: 'home' } }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users)}` } }
      default:
        return { ok: false, error: 'unknown_method' }
    }
  }

  const answered: SlackAnswer[] = []
  const answerHooks = new Set<(answer: SlackAnswer) => void>()
  /** Methods that answer 429 with this Retry-After (seconds) for as long as they are listed. */
  const rateLimited = new Map<string, number>()
  let outage: SlackOutage | undefined
  const overRate = postLimiter(opts.postRate)
  /** Uploads received whole: their size and hash, and their bytes when small. */
  const uploads: { path: string; size: number; sha256: string; bytes: Buffer }[] = []
  /** Files agents attached, served at their url_private_download with the bot token. */
  const files = new Map<string, FakeFile>()
  /** Uploads held open once this many bytes arrived (a process that dies mid-upload), and the held ones. */
  let holdUploadsAfter: number | undefined
  const heldUploads = new Set<ServerResponse>()
  let uploadBase = ''
  const server = await listen(async (req, res) => {
    const url = req.url ?? ''
    if (url.startsWith('/files-pri/')) {
      const file = req.headers.authorization === 'Bearer xoxb-test-token' ? files.get(url) : undefined
      // Slack answers a request without the right token with its sign-in page, not an error.
      if (req.headers.authorization !== 'Bearer xoxb-test-token') {
        res.writeHead(200, { 'content-type': 'text/html' })
        res.end('<html>sign in</html>')
        return
      }
      if (file === undefined) return json(res, 404, { ok: false, error: 'file_not_found' })
      return serveFile(res, file)
    }
    if (url.startsWith('/upload/')) {
      // files.uploadV2's second step: the file's bytes go to the URL Slack handed out. They are
      // hashed as they arrive, and kept only when small.
      const hash = createHash('sha256')
      const kept: Buffer[] = []
      let size = 0
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length
        hash.update(chunk)
        if (size <= 1024 * 1024) kept.push(chunk)
        if (holdUploadsAfter !== undefined && size >= holdUploadsAfter) {
          heldUploads.add(res)
          return
        }
      }
      uploads.push({ path: url, size, sha256: hash.digest('hex'), bytes: Buffer.concat(kept) })
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end('OK - 1')
      return
    }
    const via = /^\/via\/([\w.-]+)(\/.*)$/.exec(req.url ?? '')
    const by = via?.[1]
    const method = (via?.[2] ?? req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? ''
    const args = await readParams(req)
    const at = Date.now()
    const call: SlackCall = { method, args, at, ...(by !== undefined && { by }) }
    calls.push(call)
    if (outage === 'http500') return json(res, 500, { ok: false, error: 'internal_error' })
    const limit =
      rateLimited.get(method) ??
      (method === 'chat.postMessage' ? overRate(String(args.channel), at) : undefined)
    const failure =
      limit === undefined ? failures.get(method)?.shift() : { status: 429 as const, retryAfter: limit }
    if (failure === undefined) {
      const result = answer(method, args, req.headers.authorization ?? '')
      if (result.ok === true) {
        const done = { ...call, result }
        answered.push(done)
        // Before the answer leaves: a hook may stop the caller between the post and its bookkeeping.
        for (const hook of answerHooks) hook(done)
      }
      // Slack names the token's scopes in a header of every answer to a call it accepted.
      const scopes: Record<string, string> =
        result.ok === true && granted !== undefined ? { 'x-oauth-scopes': granted.join(',') } : {}
      return json(res, 200, result, scopes)
    }
    if ('error' in failure) return json(res, 200, { ok: false, error: failure.error })
    if ('body' in failure) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      res.end(failure.body)
      return
    }
    if (failure.status === 429)
      return json(
        res,
        429,
        { ok: false, error: 'ratelimited' },
        { 'retry-after': String(failure.retryAfter) },
      )
    return json(res, 500, { ok: false, error: 'internal_error' })
  })

  uploadBase = server.url
  const port = Number(new URL(server.url).port)
  return {
    ...server,
    apiUrl: `${server.url}/api/`,
    /** The Web API base URL for one caller: its calls are recorded with `by: tag`. */
    apiUrlVia: (tag: string): string => `${server.url}/via/${tag}/api/`,
    calls,
    /** Calls answered with `ok: true`, in the order they were answered. */
    answered,
    uploads,
    /** An agent attached a file: served at its url_private_download; returns Slack's file object. */
    addFile(id: string, name: string, file: FakeFile): Record<string, unknown> {
      const path = `/files-pri/T1-${id}/download/${encodeURIComponent(name)}`
      files.set(path, file)
      return {
        id,
        name,
        title: name,
        mimetype: file.mimeType,
        filetype: name.split('.').pop(),
        size: file.size,
        mode: 'hosted',
        url_private: `${server.url}/files-pri/T1-${id}/${encodeURIComponent(name)}`,
        url_private_download: `${server.url}${path}`,
      }
    },
    /** Deletes an attached file from Slack: its download answers 404. */
    deleteFile(id: string) {
      for (const key of files.keys()) if (key.startsWith(`/files-pri/T1-${id}/`)) files.delete(key)
    },
    /** Uploads stop being read once `bytes` arrived and are never answered, until `releaseUploads`. */
    holdUploads(bytes: number | undefined) {
      holdUploadsAfter = bytes
    },
    /** How many uploads are held open now. */
    uploadsHeld: () => heldUploads.size,
    /** Cuts off the uploads held open. */
    releaseUploads() {
      for (const res of heldUploads) res.destroy()
      heldUploads.clear()
    },
    /** Sets what users.info answers about a user (`is_restricted`, `team_id`, `deleted`…). */
    person(id: string, fields: Record<string, unknown>) {
      people.set(id, fields)
    },
    /** Sets a user group's members. */
    group(id: string, members: string[]) {
      groups.set(id, members)
    },
    /** Sets what conversations.info answers about a channel (`is_member`, `is_archived`, `name`…). */
    conversation(id: string, fields: Record<string, unknown>) {
      conversations.set(id, fields)
    },
    /** The scopes the app was granted; undefined leaves the x-oauth-scopes header out. */
    grantScopes(scopes: readonly string[] | undefined) {
      granted = scopes
    },
    /** Calls of one method, in order. */
    callsOf: (method: string) => calls.filter((c) => c.method === method).map((c) => c.args),
    /** The next calls of `method` fail like this, in order; later calls succeed. */
    failNext(method: string, ...answers: SlackFailure[]) {
      failures.set(method, [...(failures.get(method) ?? []), ...answers])
    },
    /** Every call of `method` answers 429 with this Retry-After (seconds) until called with undefined. */
    rateLimit(method: string, retryAfter: number | undefined) {
      if (retryAfter === undefined) rateLimited.delete(method)
      else rateLimited.set(method, retryAfter)
    },
    /** Takes Slack down (every call fails as said) or, with undefined, brings it back on the same port. */
    async setOutage(next: SlackOutage | undefined) {
      const wasRefusing = outage === 'refused'
      outage = next
      if (next === 'refused' && !wasRefusing) {
        await new Promise<void>((resolve) => {
          server.server.close(() => resolve())
          server.server.closeAllConnections()
        })
      }
      if (next !== 'refused' && wasRefusing) {
        await new Promise<void>((resolve) => server.server.listen(port, '127.0.0.1', resolve))
      }
    },
    /** Calls `hook` for every successful answer, before it is sent; returns a function that removes it. */
    onAnswer(hook: (answer: SlackAnswer) => void): () => void {
      answerHooks.add(hook)
      return () => answerHooks.delete(hook)
    },
    reset() {
      calls.length = 0
      answered.length = 0
    },
  }
}
export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>

/**
 * Per channel, a bucket of `burst` posts that refills at `perSecond`: a post takes one or is refused
 * with the whole seconds until one is back. Without a rate, nothing is refused.
 */
function postLimiter(rate: PostRate | undefined): (channel: string, at: number) => number | undefined {
  const buckets = new Map<string, { tokens: number; at: number }>()
  return (channel, at) => {
    if (rate === undefined) return undefined
    const bucket = buckets.get(channel) ?? { tokens: rate.burst, at }
    bucket.tokens = Math.min(rate.burst, bucket.tokens + ((at - bucket.at) / 1000) * rate.perSecond)
    bucket.at = at
    buckets.set(channel, bucket)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return undefined
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate.perSecond))
  }
}
