import { json, listen, readParams } from './http.js'
import { readMultipart, serveFile, type FakeFile, type ReceivedFile } from './files.js'

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
  /** Media customers sent, by media id: a GET names its URL, the URL serves it (with the token). */
  const media = new Map<string, FakeFile>()
  /** Media Instagram serves from its CDN: the signed URL is the key, no token. */
  const cdn = new Map<string, FakeFile>()
  /** Files uploaded to us: WhatsApp's /media, Instagram's attachments sent with their message. */
  const uploads: { path: string; fields: Record<string, string>; file: ReceivedFile }[] = []

  const server = await listen(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://graph')
    const cdnFile = /^\/cdn\/(.+)$/.exec(url.pathname)
    if (req.method === 'GET' && cdnFile !== null) {
      const file = cdn.get(decodeURIComponent(cdnFile[1] ?? ''))
      if (file === undefined) return json(res, 404, { error: { message: 'Not found', code: 100 } })
      return serveFile(res, file)
    }
    const download = /^\/media-download\/(.+)$/.exec(url.pathname)
    if (download !== null) {
      const file = media.get(decodeURIComponent(download[1] ?? ''))
      if (req.headers.authorization === undefined || file === undefined)
        return json(res, 404, { error: { message: 'Not found', code: 100 } })
      return serveFile(res, file)
    }
    const mediaId = req.method === 'GET' ? decodeURIComponent(url.pathname.split('/').at(-1) ?? '') : ''
    const known = media.get(mediaId)
    if (known !== undefined)
      return json(res, 200, {
        messaging_product: 'whatsapp',
        id: mediaId,
        url: `${server.url}/media-download/${encodeURIComponent(mediaId)}`,
        mime_type: known.mimeType,
        file_size: known.size,
      })
    if ((req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      const form = await readMultipart(req)
      const refusal = failures.shift()
      if (refusal !== undefined)
        return json(res, refusal.status, {
          error: { message: refusal.message, type: 'OAuthException', code: refusal.code, fbtrace_id: 'X' },
        })
      const file = Object.values(form.files)[0]
      if (file === undefined) return json(res, 400, { error: { message: 'No file', code: 100 } })
      uploads.push({ path: url.pathname, fields: form.fields, file })
      if (url.pathname.endsWith('/media')) return json(res, 200, { id: `media-up-${uploads.length}` })
      const recipient = JSON.parse(form.fields.recipient ?? '{}') as { id?: string }
      return json(res, 200, { recipient_id: recipient.id, message_id: `m_OUT${++seq}` })
    }
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
    const refused = refusedMenu(body)
    if (refused !== undefined)
      return json(res, 400, { error: { message: refused, type: 'OAuthException', code: 131009 } })
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
    uploads,
    /** A customer's media, fetched by id and then from its URL; `expired` makes the id unknown. */
    addMedia(id: string, file: FakeFile) {
      media.set(id, file)
    },
    /** A file on Instagram's CDN, as an attachment's payload.url names it. */
    cdnUrl(path: string, file: FakeFile): string {
      // The query signs the link; the file is known by its path.
      cdn.set(path.split('?')[0] ?? path, file)
      return `${server.url}/cdn/${path}`
    },
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

type Interactive = {
  type?: string
  action?: { buttons?: { reply?: { title?: string } }[]; sections?: { rows?: { title?: string }[] }[] }
}
type QuickReplies = { quick_replies?: { title?: string; payload?: string }[] }

/**
 * Why Meta would refuse a menu, as its error says it: more than three reply buttons, a button title
 * over 20 characters, a list over ten rows or a row title over 24; more than 13 Instagram quick
 * replies. Undefined for anything else.
 */
function refusedMenu(body: Record<string, unknown>): string | undefined {
  const interactive = body.interactive as Interactive | undefined
  if (interactive?.type === 'button') {
    const buttons = interactive.action?.buttons ?? []
    if (buttons.length > 3 || buttons.some((b) => (b.reply?.title ?? '').length > 20))
      return '(#131009) Parameter value is not valid: buttons'
  }
  if (interactive?.type === 'list') {
    const rows = (interactive.action?.sections ?? []).flatMap((s) => s.rows ?? [])
    if (rows.length > 10 || rows.some((r) => (r.title ?? '').length > 24))
      return '(#131009) Parameter value is not valid: rows'
  }
  const quick = (body.message as QuickReplies | undefined)?.quick_replies
  if (quick !== undefined && quick.length > 13) return '(#100) Invalid parameter: quick_replies'
  return undefined
}
