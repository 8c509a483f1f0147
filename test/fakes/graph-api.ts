import { json, listen, readParams } from './http.js'

export interface GraphFailure {
  readonly status: number
  readonly code: number
  readonly message: string
  readonly retryAfter?: number
}

/** A loopback Graph API: records WhatsApp Cloud sends and answers as Meta does, or fails on request. */
export async function startFakeGraph() {
  const sent: { path: string; authorization: string | undefined; body: Record<string, unknown> }[] = []
  const failures: GraphFailure[] = []
  let seq = 0
  const server = await listen(async (req, res) => {
    const body = await readParams(req)
    const failure = failures.shift()
    if (failure !== undefined) {
      const headers: Record<string, string> =
        failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) }
      return json(
        res,
        failure.status,
        { error: { message: failure.message, type: 'OAuthException', code: failure.code, fbtrace_id: 'X' } },
        headers,
      )
    }
    sent.push({ path: req.url ?? '', authorization: req.headers.authorization, body })
    return json(res, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: body.to, wa_id: body.to }],
      messages: [{ id: `wamid.OUT${++seq}` }],
    })
  })
  return { ...server, sent, failNext: (...f: GraphFailure[]) => failures.push(...f) }
}
export type FakeGraph = Awaited<ReturnType<typeof startFakeGraph>>
