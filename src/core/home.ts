import type { Db } from '../db/connection.js'
import { findAgent } from '../db/repos/agents.js'
import {
  homeTicketsByIds,
  shiftLoads,
  unassignedTickets,
  workingByStatus,
  workingTicketsOf,
  type HomeTicketRow,
} from '../db/repos/home.js'
import type { Clock } from './clock.js'
import type { AgentRole, TicketStatus } from './model.js'
import { breachesOf, reportAt, type Spread } from './report.js'
import { periodNamed } from './report-request.js'
import type { SlaClock, SlaSettings } from './sla.js'
import { workingClocks } from './sla-scan.js'

/** How many tickets each list of App Home shows at most. */
export const HOME_LIST_LIMIT = 15

const WORKING: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold']

/** A ticket as App Home lists it. */
export interface HomeTicket {
  readonly id: number
  readonly status: TicketStatus
  readonly priority: HomeTicketRow['priority']
  readonly channel: string
  readonly subject: string
  readonly createdAt: Date
  readonly thread: { readonly channel: string; readonly ts: string } | null
}

/** A ticket whose SLA clock ran out or has used its warning share. */
export interface AtRisk {
  readonly ticket: HomeTicket
  readonly clock: SlaClock
  readonly breached: boolean
  readonly dueAt: Date | null
  readonly assignee: string | null
}

/** Today's figures, as `/report today` counts them. */
export interface TodayFigures {
  readonly created: number
  readonly solved: number
  readonly firstResponse: Spread
  readonly breaches: number
}

/** What App Home shows one person: their queue, their shift, today; and for supervisors, the team. */
export type HomeFacts =
  | { readonly kind: 'stranger' }
  | {
      readonly kind: 'agent'
      readonly deskUserId: string
      readonly role: AgentRole
      readonly onShift: boolean
      readonly mine: {
        readonly byStatus: readonly { readonly status: TicketStatus; readonly count: number }[]
        readonly tickets: readonly HomeTicket[]
      }
      readonly today: TodayFigures
      readonly team?: {
        readonly byStatus: readonly { readonly status: TicketStatus; readonly count: number }[]
        readonly unassigned: readonly HomeTicket[]
        readonly unassignedCount: number
        readonly atRisk: readonly AtRisk[]
        readonly atRiskCount: number
        readonly onShift: readonly { readonly agent: string; readonly load: number }[]
      }
    }

const toHomeTicket = (t: HomeTicketRow): HomeTicket => ({
  id: t.id,
  status: t.status,
  priority: t.priority,
  channel: t.channel,
  subject: t.subject,
  createdAt: new Date(t.created_at),
  thread:
    t.thread_channel !== null && t.thread_ts !== null ? { channel: t.thread_channel, ts: t.thread_ts } : null,
})

const statusCounts = (rows: readonly { status: TicketStatus; n: number }[]) =>
  WORKING.map((status) => ({ status, count: Number(rows.find((r) => r.status === status)?.n ?? 0) }))

/** App Home's facts, read at the clock's time. */
export function createHome(deps: { db: Db; clock: Clock; sla: SlaSettings }) {
  const { db, sla } = deps

  async function today(now: Date, agent?: string): Promise<TodayFigures> {
    const report = await reportAt(db, sla, periodNamed('today', now, sla.hours.zone), { agent }, now)
    return {
      created: report.totals.created,
      solved: report.totals.solved,
      firstResponse: report.firstResponse,
      breaches: breachesOf(report),
    }
  }

  /** Breached clocks first, then those closest to their target; every ticket that needs work is looked at. */
  async function atRisk(now: Date): Promise<{ list: AtRisk[]; count: number }> {
    const found: {
      id: number
      clock: SlaClock
      breached: boolean
      dueAt: Date | null
      assignee: string | null
    }[] = []
    for await (const { tickets } of workingClocks(db, sla, now)) {
      for (const t of tickets) {
        const risky = t.clocks
          .filter((c) => !c.paused && (c.breached || c.elapsedMs >= sla.warnAt * c.targetMs))
          .sort((a, b) => Number(b.breached) - Number(a.breached))[0]
        if (risky !== undefined)
          found.push({
            id: t.id,
            clock: risky.clock,
            breached: risky.breached,
            dueAt: risky.dueAt,
            assignee: t.assignee,
          })
      }
    }
    found.sort(
      (a, b) =>
        Number(b.breached) - Number(a.breached) ||
        (a.dueAt?.getTime() ?? 0) - (b.dueAt?.getTime() ?? 0) ||
        a.id - b.id,
    )
    const shown = found.slice(0, HOME_LIST_LIMIT)
    const rows = new Map(
      (
        await homeTicketsByIds(
          db,
          shown.map((f) => f.id),
        )
      ).map((r) => [r.id, toHomeTicket(r)]),
    )
    return {
      list: shown.flatMap(({ id, ...rest }) => {
        const ticket = rows.get(id)
        return ticket === undefined ? [] : [{ ticket, ...rest }]
      }),
      count: found.length,
    }
  }

  return {
    async of(deskUserId: string): Promise<HomeFacts> {
      const now = deps.clock.now()
      const agent = await findAgent(db, deskUserId)
      if (agent === undefined || agent.removed_at !== null) return { kind: 'stranger' }
      const mine = {
        byStatus: statusCounts(await workingByStatus(db, agent.id)),
        tickets: (await workingTicketsOf(db, agent.id, HOME_LIST_LIMIT)).map(toHomeTicket),
      }
      const base = {
        kind: 'agent' as const,
        deskUserId,
        role: agent.role,
        onShift: agent.on_shift === 1,
        mine,
      }
      if (agent.role === 'agent') return { ...base, today: await today(now, deskUserId) }
      const unassigned = await unassignedTickets(db, HOME_LIST_LIMIT)
      const risk = await atRisk(now)
      return {
        ...base,
        today: await today(now),
        team: {
          byStatus: statusCounts(await workingByStatus(db)),
          unassigned: unassigned.tickets.map(toHomeTicket),
          unassignedCount: unassigned.count,
          atRisk: risk.list,
          atRiskCount: risk.count,
          onShift: (await shiftLoads(db)).map((r) => ({ agent: r.desk_user_id, load: r.load })),
        },
      }
    },
  }
}
export type Home = ReturnType<typeof createHome>
