import type { Db } from '../db/connection.js'
import { statusChangesOf } from '../db/repos/events.js'
import { findTicket } from '../db/repos/tickets.js'
import type { BusinessHours } from './hours.js'
import type { Priority, TicketStatus } from './model.js'

export type SlaClock = 'first_response' | 'next_response' | 'resolution'

export const clockLabel: Record<SlaClock, string> = {
  first_response: 'First response',
  next_response: 'Next response',
  resolution: 'Resolution',
}

/** Targets of one priority, in milliseconds of working time. */
export type SlaTargets = Readonly<Record<SlaClock, number>>
export type SlaPolicy = Readonly<Record<Priority, SlaTargets>>

const M = 60_000
const H = 60 * M
export const defaultSlaPolicy: SlaPolicy = {
  urgent: { first_response: 30 * M, next_response: 1 * H, resolution: 4 * H },
  high: { first_response: 1 * H, next_response: 4 * H, resolution: 8 * H },
  normal: { first_response: 4 * H, next_response: 8 * H, resolution: 24 * H },
  low: { first_response: 8 * H, next_response: 24 * H, resolution: 40 * H },
}

export interface SlaSettings {
  readonly policy: SlaPolicy
  readonly hours: BusinessHours
  /** Statuses during which every clock stops: on_hold always, pending when so configured. */
  readonly pausedStatuses: ReadonlySet<TicketStatus>
  /** Share of a target at which the assignee is warned (0.75). */
  readonly warnAt: number
}

/** The facts about a ticket that its clocks depend on. */
export interface SlaFacts {
  readonly status: TicketStatus
  readonly priority: Priority
  readonly createdAt: Date
  readonly firstResponseAt: Date | null
  readonly awaitingReplySince: Date | null
  /** Stretches spent in a paused status; the last may still be running (end null). */
  readonly pauses: readonly (readonly [Date, Date | null])[]
}

export interface ClockState {
  readonly clock: SlaClock
  readonly startedAt: Date
  readonly targetMs: number
  /** Working time used so far, pauses excluded. */
  readonly elapsedMs: number
  readonly paused: boolean
  /** When the target is reached if nothing changes; null while paused or once breached. */
  readonly dueAt: Date | null
  readonly breached: boolean
}

/** The running clocks of a ticket at `now`. A pure function: same facts, same answer. */
export function evaluateClocks(facts: SlaFacts, now: Date, settings: SlaSettings): ClockState[] {
  if (facts.status === 'solved' || facts.status === 'closed') return []
  const { hours } = settings
  const targets = settings.policy[facts.priority]
  const paused = settings.pausedStatuses.has(facts.status)

  const running: [SlaClock, Date][] = [['resolution', facts.createdAt]]
  if (facts.firstResponseAt === null) running.unshift(['first_response', facts.createdAt])
  else if (facts.awaitingReplySince !== null) running.unshift(['next_response', facts.awaitingReplySince])

  return running.map(([clock, startedAt]) => {
    const elapsedMs = clockTime(facts.pauses, startedAt.getTime(), now.getTime(), hours)
    const targetMs = targets[clock]
    const breached = elapsedMs >= targetMs
    const dueAt = paused || breached ? null : hours.addWorkingTime(now, targetMs - elapsedMs)
    return { clock, startedAt, targetMs, elapsedMs, paused, dueAt, breached }
  })
}

/**
 * How much time a clock counts between two moments: working time (all of it when the team is
 * always open), less the stretches in a paused status. Reports measure first response and
 * resolution with it, as the SLA clocks do.
 */
export function clockTime(
  pauses: SlaFacts['pauses'],
  startMs: number,
  endMs: number,
  hours: Pick<BusinessHours, 'msBetween'>,
): number {
  // In epoch milliseconds: SLA passes and reports measure tens of thousands of clocks.
  let pausedMs = 0
  for (const [from, to] of pauses) {
    const a = Math.max(from.getTime(), startMs)
    pausedMs += hours.msBetween(a, to === null ? endMs : Math.min(to.getTime(), endMs))
  }
  return Math.max(0, hours.msBetween(startMs, endMs) - pausedMs)
}

/** What the root message shows: the clock that runs out first (a breached one above all). */
export function mostUrgent(clocks: readonly ClockState[]): ClockState | undefined {
  return [...clocks].sort((a, b) => {
    if (a.breached !== b.breached) return a.breached ? -1 : 1
    return (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity)
  })[0]
}

/** What a ticket's clocks are made of, as stored: its row and its status changes, oldest first. */
export interface StoredSlaFacts {
  readonly status: TicketStatus
  readonly priority: Priority
  readonly created_at: string
  readonly first_response_at: string | null
  readonly awaiting_reply_since: string | null
}

/** A ticket's clock facts from what is stored: its row and its status changes, oldest first. */
export function slaFactsFrom(
  ticket: StoredSlaFacts,
  changes: readonly { readonly to_value: string | null; readonly created_at: string }[],
  pausedStatuses: ReadonlySet<TicketStatus>,
): SlaFacts {
  return {
    status: ticket.status,
    priority: ticket.priority,
    createdAt: new Date(ticket.created_at),
    firstResponseAt: ticket.first_response_at === null ? null : new Date(ticket.first_response_at),
    awaitingReplySince: ticket.awaiting_reply_since === null ? null : new Date(ticket.awaiting_reply_since),
    pauses: pausesFrom(changes, pausedStatuses),
  }
}

/** The stretches a ticket spent in a paused status, from its status changes, oldest first. */
export function pausesFrom(
  changes: readonly { readonly to_value: string | null; readonly created_at: string }[],
  pausedStatuses: ReadonlySet<TicketStatus>,
): SlaFacts['pauses'] {
  const pauses: [Date, Date | null][] = []
  for (const change of changes) {
    const at = new Date(change.created_at)
    const open = pauses.at(-1)
    if (open !== undefined && open[1] === null) open[1] = at
    if (pausedStatuses.has(change.to_value as TicketStatus)) pauses.push([at, null])
  }
  return pauses
}

/** Reads the facts of one ticket from the database: its row and its status history. */
export async function slaFacts(
  db: Db,
  ticketId: number,
  pausedStatuses: ReadonlySet<TicketStatus>,
): Promise<SlaFacts | undefined> {
  const ticket = await findTicket(db, ticketId)
  if (ticket === undefined) return undefined
  return slaFactsFrom(ticket, await statusChangesOf(db, ticketId), pausedStatuses)
}

/** The clock a ticket's root message shows, in words and time. */
export interface SlaSummary {
  readonly label: string
  readonly dueAt: Date | null
  readonly breached: boolean
  readonly paused: boolean
}

/** The root message's SLA line for one ticket at `now`, or undefined when no clock runs. */
export async function slaSummary(
  db: Db,
  ticketId: number,
  now: Date,
  settings: SlaSettings,
): Promise<SlaSummary | undefined> {
  const facts = await slaFacts(db, ticketId, settings.pausedStatuses)
  const clock = facts === undefined ? undefined : mostUrgent(evaluateClocks(facts, now, settings))
  return (
    clock && {
      label: clockLabel[clock.clock],
      dueAt: clock.dueAt,
      breached: clock.breached,
      paused: clock.paused,
    }
  )
}
