export type ErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'invalid'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'rejected'
  | 'duplicate'

/**
 * The one error type of threaddesk. `message` is written for the person who reads it
 * (an agent in Slack or an operator in the logs), and says what to do where it can.
 */
export class DeskError extends Error {
  readonly code: ErrorCode
  /** Whether trying the same thing again later can succeed. */
  readonly retryable: boolean
  /** How long the other side asked us to wait, when it said. */
  readonly retryAfterMs: number | undefined
  /** The platform's own name for the failure (`not_in_channel`, `429`…), for what to aggregate on. */
  readonly platformCode: string | undefined

  constructor(
    code: ErrorCode,
    message: string,
    options: { retryable?: boolean; retryAfterMs?: number; cause?: unknown; platformCode?: string } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'DeskError'
    this.code = code
    this.retryable = options.retryable ?? (code === 'rate_limited' || code === 'unavailable')
    this.retryAfterMs = options.retryAfterMs
    this.platformCode = options.platformCode
  }
}

export const isDeskError = (e: unknown): e is DeskError => e instanceof DeskError

/** A short, log-safe description of any thrown value. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message
  return String(e)
}
