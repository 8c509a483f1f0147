import type { Logger } from '../../src/core/logger.js'

/**
 * One line of `npm run doctor`: what was checked and, when it is not fine, how to fix it. A
 * `warn` is worth reading but does not stop the bot from working.
 */
export interface DoctorCheck {
  readonly status: 'ok' | 'fail' | 'warn'
  readonly what: string
  readonly fix?: string
}

/** What a check is given by the doctor. */
export interface DoctorContext {
  /** How long one call to a platform may take. */
  readonly timeoutMs: number
  /** The public base URL, when platforms can push to us. */
  readonly publicUrl: string | undefined
  readonly log: Logger
}

export const passed = (what: string): DoctorCheck => ({ status: 'ok', what })
export const failed = (what: string, fix: string): DoctorCheck => ({ status: 'fail', what, fix })
export const warning = (what: string, fix?: string): DoctorCheck =>
  fix === undefined ? { status: 'warn', what } : { status: 'warn', what, fix }

/** `10 s`, `0.3 s`. */
export const seconds = (ms: number): string => `${ms / 1000} s`

const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
}

/**
 * Why a platform could not be reached, in a few words. SDKs wrap the network's error (`cause`,
 * Slack's `original`, grammY's `error`), so the chain is walked to the code that says it. Never
 * the error's message: some carry the URL, and a Bot API URL holds the token.
 */
export function unreachableReason(error: unknown, timeoutMs: number): string {
  const seen = new Set<unknown>()
  for (let e: unknown = error; typeof e === 'object' && e !== null && !seen.has(e);) {
    seen.add(e)
    const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown }
    if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${seconds(timeoutMs)}`
    // fetch will not connect to ports on the Fetch standard's blocked list (6000, 6665–6669, …).
    if (message === 'bad port') return 'a port fetch refuses to use: pick another'
    if (typeof code === 'string') {
      if (code.startsWith('ERR_TLS') || code.includes('CERT')) return `TLS failed (${code})`
      const reason = NETWORK_CODES[code]
      if (reason !== undefined) return reason
    }
    const next = e as { cause?: unknown; original?: unknown; error?: unknown }
    e = next.cause ?? next.original ?? next.error
  }
  return 'network error'
}

/** An answer that arrived, or why none did. */
export type Reply =
  | { readonly reached: true; readonly status: number; readonly body: unknown }
  | { readonly reached: false; readonly reason: string }

/** GETs a JSON document within the timeout; a failure to reach the platform is a reason, never a throw. */
export async function getJson(
  url: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<Reply> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) })
    const body: unknown = await res.json().catch(() => undefined)
    return { reached: true, status: res.status, body }
  } catch (error) {
    return { reached: false, reason: unreachableReason(error, timeoutMs) }
  }
}

/** The line for a platform that did not answer, naming the variable that moves its address. */
export const unreachable = (platform: string, base: string, reason: string, variable: string) =>
  failed(
    `${platform} could not be reached at ${base} (${reason})`,
    `check the network, a proxy or firewall, and ${variable}`,
  )
