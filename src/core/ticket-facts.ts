import type { Channel } from './model.js'
import type { SlaClock } from './sla.js'

/**
 * What a system line in a ticket's thread says, as facts: the desk puts them into words. A line is
 * stored as a system message whose text is its fact in JSON, so the thread entry the outbox hands
 * the desk carries the fact as it carries any message.
 */
export type TicketFact = Undelivered | AutoSolved | SlaBreach | SlaWarning | FileNotShown

/** A message that did not reach the customer, and the platform's reason. */
export interface Undelivered {
  readonly kind: 'undelivered'
  /**
   * `message`: one of the ticket's messages to the customer (a reply, a template, an automatic
   * message); `direct`: another send bound to the ticket (the outbox queues none today).
   */
  readonly what: 'message' | 'direct'
  /** The channel that reported the failure after it took the message; null when it refused the send. */
  readonly reportedBy: Channel | null
  /** Why, in the platform's words, with secrets redacted. */
  readonly reason: string
}

/** A file the customer sent that the thread cannot show: refused by the limits, gone, or not fetchable. */
export interface FileNotShown {
  readonly kind: 'file_not_shown'
  /** The file's name, as the platform gave it. */
  readonly name: string
  /** Why, with secrets redacted. */
  readonly reason: string
}

/** A pending ticket the scheduler solved, because the customer did not answer for `days` days. */
export interface AutoSolved {
  readonly kind: 'auto_solved'
  readonly reason: 'customer_silent'
  readonly days: number
}

/** An SLA clock ran out: the assignee and the supervisors hear it. */
export interface SlaBreach {
  readonly kind: 'sla_breach'
  readonly clock: SlaClock
  /** The target, in milliseconds of working time. */
  readonly targetMs: number
  /** The assignee's desk user id, or null when nobody is assigned. */
  readonly assignee: string | null
  /** The desk user ids of the supervisors and admins. */
  readonly supervisors: readonly string[]
}

/** An SLA clock used its warning share of the target: the assignee hears it. */
export interface SlaWarning {
  readonly kind: 'sla_warning'
  readonly clock: SlaClock
  /** When the target is reached if nothing changes (ISO time). */
  readonly dueAt: string
  /** The share of the target used (0.75). */
  readonly usedShare: number
  /** The assignee's desk user id, or null when nobody is assigned. */
  readonly assignee: string | null
}

const KINDS: ReadonlySet<string> = new Set<TicketFact['kind']>([
  'undelivered',
  'auto_solved',
  'sla_breach',
  'sla_warning',
  'file_not_shown',
])

/** A fact as its system message stores it. */
export const encodeFact = (fact: TicketFact): string => JSON.stringify(fact)

/**
 * The fact a system message states; undefined for a line stored before system lines were facts,
 * whose text is already the desk's words.
 */
export function readFact(text: string): TicketFact | undefined {
  if (!text.startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null || !('kind' in value)) return undefined
    return KINDS.has(String(value.kind)) ? (value as TicketFact) : undefined
  } catch {
    // Older words that happen to start with a brace.
    return undefined
  }
}
