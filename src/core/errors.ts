import type { AgentRole } from './model.js'

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
 * What a refusal is about, as facts, for a desk that names people its own way (a Slack mention);
 * the error's message says the same in plain words for every other reader, such as the logs.
 */
export type ErrorDetail =
  | { readonly kind: 'already_assigned'; readonly ticketId: number; readonly assignee: string }
  | { readonly kind: 'already_has_role'; readonly deskUserId: string; readonly role: AgentRole }
  | { readonly kind: 'no_access_to_remove'; readonly deskUserId: string }
  /** Tickets are only assigned to agents whose access stands. */
  | { readonly kind: 'not_an_agent'; readonly deskUserId: string }
  /** One field of an API request is at fault (its path, such as `contact.email`). */
  | { readonly kind: 'invalid_field'; readonly field: string }
  /** An Idempotency-Key was sent again with another request than the first. */
  | { readonly kind: 'idempotency_key_reused' }

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
  /** What a refusal is about, when the desk words it itself. */
  readonly detail: ErrorDetail | undefined

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      retryable?: boolean
      retryAfterMs?: number
      cause?: unknown
      platformCode?: string
      detail?: ErrorDetail
    } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'DeskError'
    this.code = code
    this.retryable = options.retryable ?? (code === 'rate_limited' || code === 'unavailable')
    this.retryAfterMs = options.retryAfterMs
    this.platformCode = options.platformCode
    this.detail = options.detail
  }
}

export const isDeskError = (e: unknown): e is DeskError => e instanceof DeskError

/** A short, log-safe description of any thrown value. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message
  return String(e)
}
