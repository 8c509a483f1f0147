import { DeskError } from '../../src/core/errors.js'

/** The error object the Graph API answers with. */
export interface GraphError {
  readonly message?: string
  readonly code?: number
  readonly error_subcode?: number
  readonly error_data?: { readonly details?: string }
}

export interface GraphAnswer<T> {
  readonly ok: boolean
  readonly status: number
  readonly body: T & { readonly error?: GraphError }
  readonly retryAfter: string | null
}

const GRAPH_TIMEOUT_MS = 30_000

/** Calls the Graph API with a bearer token; a network failure is a retryable DeskError. */
export async function graphCall<T>(
  url: string,
  token: string,
  init: { method: 'GET' | 'POST'; body?: unknown; timeoutMs?: number },
): Promise<GraphAnswer<T>> {
  let res: Response
  try {
    res = await fetch(url, {
      method: init.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      // A call that never answers must not hold a webhook or a delivery for ever.
      signal: AbortSignal.timeout(init.timeoutMs ?? GRAPH_TIMEOUT_MS),
    })
  } catch (cause) {
    throw new DeskError('unavailable', 'the Graph API could not be reached', { cause })
  }
  const body = (await res.json().catch(() => ({}))) as T & { error?: GraphError }
  return {
    ok: res.ok && body.error === undefined,
    status: res.status,
    body,
    retryAfter: res.headers.get('retry-after'),
  }
}

/** Graph error codes that mean "slow down" (application, account and pair rate limits). */
export const GRAPH_RATE_LIMITS = new Set([4, 17, 32, 613, 80007, 130429, 131056])
/** Graph error codes that mean "try again": unknown and temporary errors. */
export const GRAPH_TRANSIENT = new Set([1, 2, 131000, 131016])

/** The parts of a Graph failure every product maps the same way: token, rate limits, outages. */
export function commonGraphError(
  product: string,
  tokenVariable: string,
  answer: GraphAnswer<unknown>,
): DeskError {
  const { status, body, retryAfter } = answer
  const code = body.error?.code
  const what = `${product} answered ${status}${code === undefined ? '' : ` (${code})`}: ${body.error?.error_data?.details ?? body.error?.message ?? 'no details'}`
  if (code === 190) return new DeskError('rejected', `${what} (check ${tokenVariable})`)
  if (status === 429 || (code !== undefined && GRAPH_RATE_LIMITS.has(code))) {
    const seconds = Number(retryAfter)
    return new DeskError(
      'rate_limited',
      what,
      Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {},
    )
  }
  if (status >= 500 || (code !== undefined && GRAPH_TRANSIENT.has(code)))
    return new DeskError('unavailable', what)
  return new DeskError('rejected', what)
}
