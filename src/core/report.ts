import { setImmediate } from 'node:timers/promises'
import { DateTime } from 'luxon'
import type { Db } from '../db/connection.js'
import {
  agentNames,
  assignmentsBetween,
  countCreatedBetween,
  countWorking,
  statusChangesBetween,
  statusChangesOfMany,
  tagsCreatedBetween,
  ticketsByIds,
  ticketsCreatedBetween,
  type ReportScope,
  type ReportTicket,
  type StatusChange,
} from '../db/repos/report-data.js'
import { enqueueDelivery } from '../db/repos/deliveries.js'
import { storeNoticeFiles, type NoticeFile } from '../db/repos/notice-files.js'
import { claimJobRun } from '../db/repos/job-runs.js'
import type { Actor } from './actor.js'
import { atLeast } from './agents.js'
import { DeskError } from './errors.js'
import { createWork, type WorkDeps } from './work.js'
import type { Channel, Priority, TicketStatus } from './model.js'
import { PRIORITIES } from './model.js'
import type { ReportPeriod, ReportRequest } from './report-request.js'
import { localCalendar, workingTimeline } from './hours.js'
import { msOf } from './clock.js'
import { clockTime, pausesFrom, type SlaSettings } from './sla.js'

/**
 * The desk's figures over a period. Every figure is defined once, here and in README ("Reports"),
 * and the digest, /report, its CSV, the charts, App Home and the weekly report all read them from
 * `buildReport`.
 */

/** Statuses in which a ticket still needs the team. */
const WORKING: ReadonlySet<TicketStatus> = new Set(['new', 'open', 'pending', 'on_hold'])

/** Created, solved, reopened and still open, for a whole report or one slice of it. */
export interface Counts {
  created: number
  solved: number
  reopened: number
  stillOpen: number
}

/** A median and a 90th percentile, by nearest rank (no interpolation); null when nothing was measured. */
export interface Spread {
  readonly count: number
  readonly medianMs: number | null
  readonly p90Ms: number | null
}

/** Whether a ticket's SLA clock stopped within its target, ran past it, or still runs within it. */
export type SlaOutcome = 'met' | 'breached' | 'pending'

/** The clocks a report judges: once per ticket each (next response runs many times and is left to alerts). */
export const REPORT_CLOCKS = ['first_response', 'resolution'] as const
export type ReportClock = (typeof REPORT_CLOCKS)[number]

export interface SlaLine {
  readonly priority: Priority
  readonly clock: ReportClock
  readonly targetMs: number
  met: number
  breached: number
  pending: number
}

export interface AgentLine {
  readonly agent: string
  assigned: number
  solved: number
  medianFirstResponseMs: number | null
  medianResolutionMs: number | null
  breaches: number
  reopens: number
}

/** One local day of the period, for the charts. */
export interface ReportDay {
  /** YYYY-MM-DD in the team's zone. */
  readonly day: string
  readonly createdByChannel: Readonly<Record<Channel, number>>
  readonly firstResponse: Spread
  /** Tickets that needed the team at the end of the day (at the time of the report for today). */
  readonly backlog: number
}

/** One ticket created in the period, as the CSV lists it. */
export interface ReportRow {
  readonly id: number
  readonly createdAt: string
  readonly channel: Channel
  readonly type: string | null
  readonly priority: Priority
  readonly status: TicketStatus
  readonly assignee: string | null
  readonly firstResponseAt: string | null
  readonly firstResponseMs: number | null
  readonly solvedAt: string | null
  readonly resolutionMs: number | null
  readonly sla: Readonly<Record<ReportClock, SlaOutcome>>
  readonly reopens: number
  readonly tags: readonly string[]
}

export interface Report {
  readonly period: ReportPeriod
  readonly scope: ReportScope
  /** When the figures were taken. */
  readonly at: Date
  /** Whether times are working time (business hours set) or wall-clock time (always open). */
  readonly workingTime: boolean
  readonly totals: Counts
  readonly byChannel: readonly (Counts & { readonly key: string })[]
  readonly byType: readonly (Counts & { readonly key: string })[]
  readonly byPriority: readonly (Counts & { readonly key: string })[]
  readonly firstResponse: Spread
  readonly resolution: Spread
  readonly sla: readonly SlaLine[]
  readonly agents: readonly AgentLine[]
  /** The hours of the day (0–23, local) in which most tickets were created, busiest first, at most 3. */
  readonly busiestHours: readonly { readonly hour: number; readonly created: number }[]
  readonly days: readonly ReportDay[]
  readonly rows: readonly ReportRow[]
}

/** The value below which `share` of the sorted values fall, by nearest rank. */
export function nearestRank(sorted: readonly number[], share: number): number | null {
  if (sorted.length === 0) return null
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] ?? null
}

export function spreadOf(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b)
  return { count: sorted.length, medianMs: nearestRank(sorted, 0.5), p90Ms: nearestRank(sorted, 0.9) }
}

const noCounts = (): Counts => ({ created: 0, solved: 0, reopened: 0, stillOpen: 0 })

/**
 * Tickets read, or measured, between two turns of the event loop: a year of a busy desk is
 * hundreds of thousands, seconds of work that must not keep webhooks and Slack waiting.
 */
const PAGE = 5_000

/** What `buildReport` reads, gathered by `gatherReport`. */
export interface ReportData {
  /** Tickets created in the period, oldest first. */
  readonly created: readonly ReportTicket[]
  /** Tickets solved or reopened in the period but created before it. */
  readonly earlier: readonly ReportTicket[]
  /** Changes into or out of `solved` from the period's start until now, oldest first. */
  readonly solveChanges: readonly StatusChange[]
  /**
   * The status changes of the tickets above into or out of a paused status or `solved`, each
   * ticket's oldest first: what their pauses and reopenings are read from.
   */
  readonly history: ReadonlyMap<number, readonly StatusChange[]>
  /** Assignments made in the period: to whom. */
  readonly assignments: readonly { readonly ticket_id: number; readonly to_value: string | null }[]
  /** Tickets that need the team now, and tickets created since the period's end. */
  readonly workingNow: number
  readonly createdSince: number
  readonly tags: ReadonlyMap<number, readonly string[]>
  /** Desk user ids by agent row: who the tickets' assignees are. */
  readonly agents: ReadonlyMap<number, string>
}

/** Reads what a report of `period` needs. */
export async function gatherReport(
  db: Db,
  period: ReportPeriod,
  scope: ReportScope,
  now: Date,
  paused: ReadonlySet<TicketStatus>,
): Promise<ReportData> {
  const from = period.from.toISOString()
  const to = period.to.toISOString()
  const created: ReportTicket[] = []
  for (;;) {
    const page = await ticketsCreatedBetween(db, from, to, scope, { limit: PAGE, after: created.at(-1) })
    for (const t of page) created.push(t)
    if (page.length < PAGE) break
    await setImmediate()
  }
  const statuses = [...paused, 'solved']
  const changes = await statusChangesBetween(db, from, now.toISOString(), statuses, scope)
  const solveChanges = changes.filter((c) => c.to_value === 'solved' || c.from_value === 'solved')
  const known = new Set(created.map((t) => t.id))
  const missing = [
    ...new Set(
      solveChanges.filter((c) => c.created_at < to && !known.has(c.ticket_id)).map((c) => c.ticket_id),
    ),
  ]
  const earlier = await ticketsByIds(db, missing)
  // The period's changes are the whole history of the tickets created in it; tickets created
  // before it have theirs read in full.
  const history = new Map<number, StatusChange[]>()
  const add = (change: StatusChange) => {
    const list = history.get(change.ticket_id)
    if (list === undefined) history.set(change.ticket_id, [change])
    else list.push(change)
  }
  for (const change of changes) if (known.has(change.ticket_id)) add(change)
  for (const change of await statusChangesOfMany(db, missing, statuses)) add(change)
  return {
    created,
    earlier,
    solveChanges,
    history,
    assignments: await assignmentsBetween(db, from, to, scope),
    workingNow: await countWorking(db, scope),
    createdSince: period.to < now ? await countCreatedBetween(db, to, now.toISOString(), scope) : 0,
    tags: await tagsCreatedBetween(db, from, to, scope),
    agents: await agentNames(db),
  }
}

/**
 * The figures of a period from what `gatherReport` read, at `now`. Pure: it only reads `data`, and
 * lets the event loop answer what came in between pages of tickets. A month of a busy desk is tens
 * of thousands of tickets, so each is measured once, in numbers, and counted in one pass.
 */
export async function buildReport(
  data: ReportData,
  period: ReportPeriod,
  scope: ReportScope,
  now: Date,
  sla: SlaSettings,
): Promise<Report> {
  const measure = measurer(data, period, now, sla)
  const { created } = data
  const rows: ReportRow[] = []
  /** When each row's ticket was created, in epoch ms: rows are oldest first. */
  const createdMs: number[] = []
  for (let i = 0; i < created.length; i++) {
    if (i > 0 && i % PAGE === 0) await setImmediate()
    const t = created[i] as ReportTicket
    const startMs = msOf(t.created_at)
    createdMs.push(startMs)
    rows.push(rowOf(t, startMs, data, measure))
  }
  const { solved, reopened } = solvesIn(data, period, measure)
  const { total, byChannel, byType, byPriority } = tallies(rows, solved, reopened)
  return {
    period,
    scope,
    at: now,
    workingTime: !sla.hours.alwaysOpen,
    totals: total,
    byChannel,
    byType,
    byPriority: byPriority.sort(
      (a, b) => PRIORITIES.indexOf(b.key as Priority) - PRIORITIES.indexOf(a.key as Priority),
    ),
    firstResponse: spreadOf(firstResponsesOf(rows)),
    resolution: spreadOf(solved.map((s) => s.ms)),
    sla: slaLinesOf(rows, sla),
    agents: agentLinesOf(rows, solved, reopened, data),
    busiestHours: busiestHoursOf(createdMs, period.zone),
    days: daysOf(data, period, now, rows, createdMs),
    rows,
  }
}

const NEVER_PAUSED: ReturnType<typeof pausesFrom> = []
const NO_TAGS: readonly string[] = []

/** How long a ticket's clock ran from its creation to a moment: working time less its pauses. */
interface Measure {
  /** The tickets solved or reopened since the period began, by id. */
  readonly tickets: ReadonlyMap<number, ReportTicket>
  readonly nowMs: number
  readonly sla: SlaSettings
  /** From `startMs`, the ticket's creation, to `endMs`, both epoch ms. */
  timeOf(t: ReportTicket, startMs: number, endMs: number): number
}

function measurer(data: ReportData, period: ReportPeriod, now: Date, sla: SlaSettings): Measure {
  const wanted = new Set<number>()
  for (const c of data.solveChanges) wanted.add(c.ticket_id)
  const tickets = new Map<number, ReportTicket>()
  let earliest = period.from.toISOString()
  let latest = now.toISOString()
  for (const list of [data.earlier, data.created])
    for (const t of list) {
      if (wanted.has(t.id)) tickets.set(t.id, t)
      if (t.created_at < earliest) earliest = t.created_at
      if (t.first_response_at !== null && t.first_response_at > latest) latest = t.first_response_at
      if (t.solved_at !== null && t.solved_at > latest) latest = t.solved_at
    }
  // From the oldest ticket's creation to the last moment measured: outside it, each measure would
  // lay out its days afresh.
  const timeline = workingTimeline(sla.hours, new Date(earliest), new Date(latest))
  // Most tickets were never paused: their measure needs no more than the timeline.
  const pauses = new Map<number, ReturnType<typeof pausesFrom>>()
  const pausesOf = (t: ReportTicket) => {
    const changes = data.history.get(t.id)
    if (changes === undefined) return NEVER_PAUSED
    let found = pauses.get(t.id)
    if (found === undefined) pauses.set(t.id, (found = pausesFrom(changes, sla.pausedStatuses)))
    return found
  }
  const timeOf = (t: ReportTicket, startMs: number, endMs: number): number =>
    clockTime(pausesOf(t), startMs, endMs, timeline)
  return { tickets, nowMs: now.getTime(), sla, timeOf }
}

/**
 * Whether a clock stopped within its target, reached it, or still runs below it: `stoppedMs` is
 * its time when it stopped, `runningMs` its time now.
 */
function outcomeOf(targetMs: number, stoppedMs: number | null, runningMs: number): SlaOutcome {
  if ((stoppedMs ?? runningMs) >= targetMs) return 'breached'
  return stoppedMs === null ? 'pending' : 'met'
}

/** A ticket created in the period, measured: the CSV's row and what most figures count. */
function rowOf(t: ReportTicket, startMs: number, data: ReportData, m: Measure): ReportRow {
  const solved = t.status === 'solved' || t.status === 'closed'
  const firstResponseMs =
    t.first_response_at === null ? null : m.timeOf(t, startMs, msOf(t.first_response_at))
  const resolutionMs = solved && t.solved_at !== null ? m.timeOf(t, startMs, msOf(t.solved_at)) : null
  // Until it is resolved, a ticket has a clock that still runs: the first response's too, when it
  // was never answered.
  const runningMs = resolutionMs === null ? m.timeOf(t, startMs, m.nowMs) : 0
  const targets = m.sla.policy[t.priority]
  const history = data.history.get(t.id)
  let reopens = 0
  if (history !== undefined)
    for (const c of history) if (c.from_value === 'solved' && c.to_value === 'open') reopens++
  return {
    id: t.id,
    createdAt: t.created_at,
    channel: t.channel,
    type: t.type,
    priority: t.priority,
    status: t.status,
    assignee: assigneeOf(t, data),
    firstResponseAt: t.first_response_at,
    firstResponseMs,
    solvedAt: solved ? t.solved_at : null,
    resolutionMs,
    // First response stops at the first reply (or at the solve of a ticket never answered);
    // resolution at the solve.
    sla: {
      first_response: outcomeOf(targets.first_response, firstResponseMs ?? resolutionMs, runningMs),
      resolution: outcomeOf(targets.resolution, resolutionMs, runningMs),
    },
    reopens,
    tags: data.tags.get(t.id) ?? NO_TAGS,
  }
}

/** The desk user id of a ticket's assignee. */
const assigneeOf = (t: ReportTicket, data: ReportData): string | null =>
  t.assignee_id === null ? null : (data.agents.get(t.assignee_id) ?? null)

/** The first response times of the rows that have one. */
function firstResponsesOf(rows: readonly ReportRow[]): number[] {
  const times: number[] = []
  for (const r of rows) if (r.firstResponseMs !== null) times.push(r.firstResponseMs)
  return times
}

/** The tickets solved in the period (each once, measured at its last solve in it) and those reopened. */
function solvesIn(
  data: ReportData,
  period: ReportPeriod,
  m: Measure,
): { solved: { ticket: ReportTicket; ms: number }[]; reopened: ReportTicket[] } {
  const to = period.to.toISOString()
  const lastSolve = new Map<number, string>()
  const reopened = new Set<number>()
  for (const c of data.solveChanges) {
    if (c.created_at >= to) continue
    if (c.to_value === 'solved') lastSolve.set(c.ticket_id, c.created_at)
    else if (c.from_value === 'solved' && c.to_value === 'open') reopened.add(c.ticket_id)
  }
  const ticket = (id: number) => {
    const t = m.tickets.get(id)
    return t === undefined ? [] : [t]
  }
  return {
    solved: [...lastSolve].flatMap(([id, at]) =>
      ticket(id).map((t) => ({ ticket: t, ms: m.timeOf(t, msOf(t.created_at), msOf(at)) })),
    ),
    reopened: [...reopened].flatMap(ticket),
  }
}

type Tally = (Counts & { readonly key: string })[]

/**
 * Created, solved, reopened and still open: in all, and per channel, type and priority (each
 * most created first), counted in one pass over the period's tickets.
 */
function tallies(
  rows: readonly ReportRow[],
  solved: readonly { ticket: ReportTicket }[],
  reopened: readonly ReportTicket[],
): { total: Counts; byChannel: Tally; byType: Tally; byPriority: Tally } {
  const total = noCounts()
  const slices = [
    { key: (t: Sliced): string => t.channel, counts: new Map<string, Counts>() },
    { key: (t: Sliced): string => t.type ?? '(none)', counts: new Map<string, Counts>() },
    { key: (t: Sliced): string => t.priority, counts: new Map<string, Counts>() },
  ] as const
  const lineOf = (counts: Map<string, Counts>, key: string): Counts => {
    let line = counts.get(key)
    if (line === undefined) counts.set(key, (line = noCounts()))
    return line
  }
  const add = (t: Sliced, field: keyof Counts) => {
    total[field]++
    for (const { key, counts } of slices) lineOf(counts, key(t))[field]++
  }
  for (const r of rows) {
    add(r, 'created')
    if (WORKING.has(r.status)) add(r, 'stillOpen')
  }
  for (const { ticket } of solved) add(ticket, 'solved')
  for (const t of reopened) add(t, 'reopened')
  const sorted = (counts: Map<string, Counts>): Tally =>
    [...counts]
      .map(([key, c]) => ({ key, ...c }))
      .sort((a, b) => b.created - a.created || a.key.localeCompare(b.key))
  const [channel, type, priority] = slices
  return {
    total,
    byChannel: sorted(channel.counts),
    byType: sorted(type.counts),
    byPriority: sorted(priority.counts),
  }
}

/** What a ticket's figures are split by. */
type Sliced = Pick<ReportTicket, 'channel' | 'type' | 'priority'>

/** Met, breached and running per priority and clock, for the tickets created in the period. */
function slaLinesOf(rows: readonly ReportRow[], sla: SlaSettings): SlaLine[] {
  const byPriority = new Map<Priority, SlaLine[]>()
  for (const r of rows) {
    let lines = byPriority.get(r.priority)
    if (lines === undefined) {
      const { priority } = r
      lines = REPORT_CLOCKS.map((clock) => ({
        priority,
        clock,
        targetMs: sla.policy[priority][clock],
        met: 0,
        breached: 0,
        pending: 0,
      }))
      byPriority.set(priority, lines)
    }
    for (const line of lines) line[r.sla[line.clock]]++
  }
  return [...byPriority.values()]
    .flat()
    .sort(
      (a, b) =>
        PRIORITIES.indexOf(b.priority) - PRIORITIES.indexOf(a.priority) ||
        REPORT_CLOCKS.indexOf(a.clock) - REPORT_CLOCKS.indexOf(b.clock),
    )
}

/** A line per agent: tickets count for the agent assigned now; `assigned` counts the period's assignments. */
function agentLinesOf(
  rows: readonly ReportRow[],
  solved: readonly { ticket: ReportTicket; ms: number }[],
  reopened: readonly ReportTicket[],
  data: ReportData,
): AgentLine[] {
  const lines = new Map<string, { line: AgentLine; fr: number[]; res: number[] }>()
  const of = (agent: string) => {
    const known = lines.get(agent)
    if (known !== undefined) return known
    const line: AgentLine = {
      agent,
      assigned: 0,
      solved: 0,
      medianFirstResponseMs: null,
      medianResolutionMs: null,
      breaches: 0,
      reopens: 0,
    }
    const fresh = { line, fr: [], res: [] }
    lines.set(agent, fresh)
    return fresh
  }
  for (const r of rows) {
    if (r.assignee === null) continue
    const a = of(r.assignee)
    if (r.firstResponseMs !== null) a.fr.push(r.firstResponseMs)
    for (const clock of REPORT_CLOCKS) if (r.sla[clock] === 'breached') a.line.breaches++
  }
  for (const { ticket, ms } of solved) {
    const assignee = assigneeOf(ticket, data)
    if (assignee === null) continue
    const a = of(assignee)
    a.line.solved++
    a.res.push(ms)
  }
  for (const t of reopened) {
    const assignee = assigneeOf(t, data)
    if (assignee !== null) of(assignee).line.reopens++
  }
  const assigned = new Map<string, Set<number>>()
  for (const { ticket_id, to_value } of data.assignments)
    if (to_value !== null) assigned.set(to_value, (assigned.get(to_value) ?? new Set()).add(ticket_id))
  for (const [agent, ids] of assigned) of(agent).line.assigned = ids.size
  return [...lines.values()]
    .map(({ line, fr, res }) => ({
      ...line,
      medianFirstResponseMs: spreadOf(fr).medianMs,
      medianResolutionMs: spreadOf(res).medianMs,
    }))
    .sort((a, b) => b.solved - a.solved || b.assigned - a.assigned || a.agent.localeCompare(b.agent))
}

/** The (at most three) local hours in which most tickets of the period were created. */
function busiestHoursOf(createdMs: readonly number[], zone: string): { hour: number; created: number }[] {
  const calendar = localCalendar(zone)
  const created = new Array<number>(24).fill(0)
  for (const ms of createdMs) {
    const hour = calendar.hourOf(ms)
    created[hour] = (created[hour] ?? 0) + 1
  }
  return created
    .flatMap((n, hour) => (n === 0 ? [] : [{ hour, created: n }]))
    .sort((a, b) => b.created - a.created || a.hour - b.hour)
    .slice(0, 3)
}

/**
 * Each local day of the period: tickets created by channel, first response of the tickets created
 * that day, and the backlog at its end, counted back from the backlog now through what changed
 * since (a creation or a reopening adds one, a solve takes one away).
 */
function daysOf(
  data: ReportData,
  period: ReportPeriod,
  now: Date,
  rows: readonly ReportRow[],
  createdMs: readonly number[],
): ReportDay[] {
  const days: ReportDay[] = []
  // Each ticket's local day, worked out once: date arithmetic per ticket and day adds up over a month.
  const calendar = localCalendar(period.zone)
  const byDay = new Map<string, ReportRow[]>()
  for (const [i, r] of rows.entries()) {
    const day = calendar.dayOf(createdMs[i] ?? 0)
    const list = byDay.get(day)
    if (list === undefined) byDay.set(day, [r])
    else list.push(r)
  }
  // What happened from each day's end on: the days go forward, so each count is taken from a
  // moving start over moments in order rather than over everything again for every day.
  const created = laterThan(createdMs.map((ms) => [ms, 1] as const))
  const changes = laterThan(
    data.solveChanges.flatMap((c): (readonly [number, number])[] => {
      if (c.to_value === 'solved' && c.from_value !== null && WORKING.has(c.from_value as TicketStatus))
        return [[Date.parse(c.created_at), -1]]
      return c.from_value === 'solved' && c.to_value === 'open' ? [[Date.parse(c.created_at), 1]] : []
    }),
  )
  let start = DateTime.fromJSDate(period.from, { zone: period.zone }).startOf('day')
  const stop = DateTime.fromJSDate(period.to, { zone: period.zone })
  while (start < stop) {
    const next = start.plus({ days: 1 })
    const end = Math.min(next.toMillis(), now.getTime())
    const day = start.toISODate() ?? ''
    const ofDay = byDay.get(day) ?? []
    const createdByChannel: Record<Channel, number> = {}
    for (const r of ofDay) createdByChannel[r.channel] = (createdByChannel[r.channel] ?? 0) + 1
    const createdAfter = created.countFrom(end) + data.createdSince
    const changedAfter = changes.countFrom(end)
    days.push({
      day,
      createdByChannel,
      firstResponse: spreadOf(firstResponsesOf(ofDay)),
      backlog: data.workingNow - createdAfter - changedAfter,
    })
    start = next
  }
  return days
}

/**
 * Sums of weights at or after a moment (epoch ms), for moments asked in increasing order: each
 * asks only past the entries the one before it passed.
 */
function laterThan(entries: readonly (readonly [at: number, weight: number])[]): {
  countFrom(at: number): number
} {
  const sorted = [...entries].sort((a, b) => a[0] - b[0])
  let index = 0
  let remaining = sorted.reduce((sum, [, weight]) => sum + weight, 0)
  return {
    countFrom(at) {
      for (; index < sorted.length && (sorted[index]?.[0] ?? 0) < at; index++)
        remaining -= sorted[index]?.[1] ?? 0
      return remaining
    },
  }
}

/** The figures of a period at `now`, read from the database. */
export async function reportAt(
  db: Db,
  sla: SlaSettings,
  period: ReportPeriod,
  scope: ReportScope,
  now: Date,
): Promise<Report> {
  return buildReport(await gatherReport(db, period, scope, now, sla.pausedStatuses), period, scope, now, sla)
}

/** How many SLA targets a report found breached, all priorities and clocks together. */
export const breachesOf = (report: Pick<Report, 'sla'>): number =>
  report.sla.reduce((sum, line) => sum + line.breached, 0)

async function enqueueNotice(
  tx: Db,
  text: string,
  files: readonly ReportFile[],
  to: string | undefined,
  now: string,
): Promise<void> {
  const fileIds = await storeNoticeFiles(tx, files, now)
  await enqueueDelivery(
    tx,
    null,
    { type: 'desk.notice', text, ...(to !== undefined && { to }), ...(fileIds.length > 0 && { fileIds }) },
    now,
  )
}

/**
 * Up to this many tickets, a report is made while Slack waits for the answer: about 0.4 s at
 * 40,000 tickets on two cores, so well within Slack's 3 s on a busy machine.
 */
const LARGE_OVER_TICKETS = 60_000

/**
 * The most tickets one report counts: a report holds each of them in memory while it is made (a
 * year of a busy desk, 500,000 tickets, took 660 MB, 1.4 GB with its CSV). About a quarter of a
 * desk with a million tickets over two years.
 */
const MOST_TICKETS = 150_000

/** How many tickets a report counts before it is refused, and before it follows its answer. */
export interface ReportLimits {
  readonly largeOver: number
  readonly most: number
}

/** A file to post with a report. */
export type ReportFile = NoticeFile

/**
 * Reports as a service: the figures of a period at the clock's time, for whoever may see them,
 * and a way to post them with their files through the outbox.
 */
export function createReports(
  deps: WorkDeps & {
    sla: SlaSettings
    /** Where `sizeOf` draws its lines (tests make them small). */
    limits?: Partial<ReportLimits> | undefined
  },
) {
  const { inTransaction } = createWork(deps)
  const largeOver = deps.limits?.largeOver ?? LARGE_OVER_TICKETS
  const most = deps.limits?.most ?? MOST_TICKETS
  const build = (period: ReportPeriod, scope: ReportScope): Promise<Report> =>
    reportAt(deps.db, deps.sla, period, scope, deps.clock.now())
  return {
    build,

    /**
     * What `actor` may see of what they asked for. Supervisors and admins see the whole desk or
     * anyone's figures; an agent sees their own (a report without `agent:` is narrowed to them).
     */
    async scopeFor(actor: Actor, request: ReportRequest): Promise<ReportScope> {
      const wide = await atLeast(deps.db, actor.deskUserId, 'supervisor')
      if (!wide && request.agent !== undefined && request.agent !== actor.deskUserId)
        throw new DeskError(
          'forbidden',
          "Only supervisors and admins see another agent's figures; `/report` without `agent:` shows yours.",
        )
      return { channel: request.channel, agent: wide ? request.agent : actor.deskUserId }
    },

    /**
     * How many tickets a report would count, and whether that is more than can be counted while
     * Slack waits for an answer (3 s). More than a report may count is refused.
     */
    async sizeOf(period: ReportPeriod, scope: ReportScope): Promise<{ tickets: number; large: boolean }> {
      const now = deps.clock.now()
      const to = period.to < now ? period.to : now
      const tickets = await countCreatedBetween(deps.db, period.from.toISOString(), to.toISOString(), scope)
      if (tickets > most)
        throw new DeskError(
          'invalid',
          `That period has ${tickets.toLocaleString('en')} tickets, and a report counts at most ${most.toLocaleString('en')}: ask for a shorter period, or narrow it with \`channel:\` or \`agent:\`.`,
        )
      return { tickets, large: tickets > largeOver }
    },

    /** Queues a report's text and files for `to` (a conversation or person; the support channel when unset). */
    async share(text: string, files: readonly ReportFile[], to?: string): Promise<void> {
      await inTransaction((tx, now) => enqueueNotice(tx, text, files, to, now))
    },

    /** Queues a report for the support channel once per job and period (a scheduled report). */
    async shareOnce(
      job: string,
      period: string,
      text: string,
      files: readonly ReportFile[],
    ): Promise<boolean> {
      return inTransaction(async (tx, now) => {
        if (!(await claimJobRun(tx, job, period, now))) return false
        await enqueueNotice(tx, text, files, undefined, now)
        return true
      })
    },
  }
}
export type Reports = ReturnType<typeof createReports>
