import type { Db } from '../../src/db/connection.js'
import type { Priority, TicketStatus } from '../../src/core/model.js'
import { createBusinessHours, parseSchedule } from '../../src/core/hours.js'
import { defaultSlaPolicy, type SlaSettings } from '../../src/core/sla.js'

/**
 * A week whose figures are worked out by hand (see test/core/report.test.ts): the team works
 * Mon–Fri 09:00–17:00 UTC, the report covers Mon 23 – Fri 27 November 2026, and it is taken on
 * Monday 30 November at 10:00.
 */
export const REPORT_NOW = new Date('2026-11-30T10:00:00Z')
export const ANA = 'UANA'
export const BEN = 'UBEN'

export const reportSla: SlaSettings = {
  policy: defaultSlaPolicy,
  hours: createBusinessHours({ zone: 'UTC', schedule: parseSchedule('Mon-Fri 09:00-17:00') }),
  warnAt: 0.75,
  pausedStatuses: new Set<TicketStatus>(['on_hold']),
}

interface Seeded {
  channel: string
  type: string | null
  priority: Priority
  status: TicketStatus
  created: string
  firstResponse?: string
  solved?: string
  assignee?: string
  /** Status changes: [from, to, at]. */
  changes?: [TicketStatus, TicketStatus, string][]
  /** Assignments: [to, at]. */
  assigned?: [string, string][]
  tags?: string[]
}

/**
 * T1–T5 are created in the week; T6 before it (solved in it); T7 after it (still new).
 * Times are UTC; working hours Mon–Fri 09–17.
 */
export const WEEK: Seeded[] = [
  {
    // T1: answered in 30 min, solved in 2 h.
    channel: 'telegram',
    type: 'question',
    priority: 'normal',
    status: 'solved',
    created: '2026-11-23T09:00:00Z',
    firstResponse: '2026-11-23T09:30:00Z',
    solved: '2026-11-23T11:00:00Z',
    assignee: ANA,
    changes: [
      ['new', 'open', '2026-11-23T09:30:00Z'],
      ['open', 'solved', '2026-11-23T11:00:00Z'],
    ],
    assigned: [[ANA, '2026-11-23T09:10:00Z']],
    tags: ['vip', 'billing'],
  },
  {
    // T2: Monday 16:30, answered Tuesday 09:45 (75 working min, high: breached), solved, reopened, solved again.
    channel: 'whatsapp_cloud',
    type: 'incident',
    priority: 'high',
    status: 'solved',
    created: '2026-11-23T16:30:00Z',
    firstResponse: '2026-11-24T09:45:00Z',
    solved: '2026-11-25T11:00:00Z',
    assignee: BEN,
    changes: [
      ['new', 'open', '2026-11-24T09:45:00Z'],
      ['open', 'solved', '2026-11-24T12:00:00Z'],
      ['solved', 'open', '2026-11-25T10:00:00Z'],
      ['open', 'solved', '2026-11-25T11:00:00Z'],
    ],
    assigned: [[BEN, '2026-11-23T16:35:00Z']],
  },
  {
    // T3: on hold from Tuesday 11:00 to Wednesday 10:00, answered Wednesday 11:00; still open.
    channel: 'telegram',
    type: 'question',
    priority: 'normal',
    status: 'open',
    created: '2026-11-24T10:00:00Z',
    firstResponse: '2026-11-25T11:00:00Z',
    changes: [
      ['new', 'on_hold', '2026-11-24T11:00:00Z'],
      ['on_hold', 'open', '2026-11-25T10:00:00Z'],
    ],
  },
  {
    // T4: urgent, never answered.
    channel: 'discord',
    type: null,
    priority: 'urgent',
    status: 'new',
    created: '2026-11-26T09:00:00Z',
    assignee: ANA,
    assigned: [[ANA, '2026-11-26T09:05:00Z']],
  },
  {
    // T5: low, Friday 16:00, not answered yet but within its 8 h.
    channel: 'telegram',
    type: 'question',
    priority: 'low',
    status: 'new',
    created: '2026-11-27T16:00:00Z',
  },
  {
    // T6: created the Friday before, solved Monday 10:00 (8 working hours).
    channel: 'telegram',
    type: 'question',
    priority: 'normal',
    status: 'solved',
    created: '2026-11-20T10:00:00Z',
    firstResponse: '2026-11-20T10:30:00Z',
    solved: '2026-11-23T10:00:00Z',
    assignee: BEN,
    changes: [
      ['new', 'open', '2026-11-20T10:30:00Z'],
      ['open', 'solved', '2026-11-23T10:00:00Z'],
    ],
    assigned: [[BEN, '2026-11-20T10:05:00Z']],
  },
  {
    // T7: created after the week.
    channel: 'telegram',
    type: 'question',
    priority: 'normal',
    status: 'new',
    created: '2026-11-30T09:30:00Z',
  },
]

const iso = (at: string): string => new Date(at).toISOString()

/** Stores the week: agents Ana and Ben, one contact, tickets T1–T7 (ids 1–7 on an empty database). */
export async function seedReportWeek(db: Db): Promise<void> {
  const agentIds = new Map<string, number>()
  for (const who of [ANA, BEN]) {
    const row = await db
      .insertInto('agents')
      .values({ desk_user_id: who, role: 'agent', created_at: '2026-11-01T00:00:00Z' })
      .returning('id')
      .executeTakeFirstOrThrow()
    agentIds.set(who, row.id)
  }
  const contact = await db
    .insertInto('contacts')
    .values({
      channel: 'telegram',
      external_id: '42',
      display_name: 'Dana',
      created_at: '2026-11-01T00:00:00Z',
      updated_at: '2026-11-01T00:00:00Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const [i, t] of WEEK.entries()) {
    const { id } = await db
      .insertInto('tickets')
      .values({
        contact_id: contact.id,
        channel: t.channel,
        status: t.status,
        priority: t.priority,
        type: t.type,
        subject: `T${i + 1}`,
        assignee_id: t.assignee === undefined ? null : (agentIds.get(t.assignee) ?? null),
        created_at: iso(t.created),
        updated_at: iso(t.created),
        first_response_at: t.firstResponse === undefined ? null : iso(t.firstResponse),
        solved_at: t.solved === undefined ? null : iso(t.solved),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const [from, to, at] of t.changes ?? [])
      await db
        .insertInto('events')
        .values({
          ticket_id: id,
          actor_type: 'agent',
          action: 'status',
          from_value: from,
          to_value: to,
          created_at: iso(at),
        })
        .execute()
    for (const [to, at] of t.assigned ?? [])
      await db
        .insertInto('events')
        .values({
          ticket_id: id,
          actor_type: 'agent',
          action: 'assigned',
          from_value: null,
          to_value: to,
          created_at: iso(at),
        })
        .execute()
    for (const tag of t.tags ?? [])
      await db.insertInto('ticket_tags').values({ ticket_id: id, tag }).execute()
  }
}
