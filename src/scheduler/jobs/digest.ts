import { DateTime } from 'luxon'
import type { Digest } from '../../core/delivery.js'
import { WORKING_STATUSES, type JobDeps } from './deps.js'

const OLDEST_SHOWN = 5

/**
 * Each morning at the digest time, on days the team works: open tickets by status, SLA breaches
 * of the last day, and the tickets waiting longest for an answer, gathered as figures the desk
 * words. Sent once per day, also when the bot was off at the digest time and comes back later
 * that day.
 */
export async function runDigest(deps: JobDeps, now: Date): Promise<void> {
  const { db, helpdesk, sla, automations } = deps
  if (automations.digestAt === null) return
  const { hours } = sla
  const local = DateTime.fromJSDate(now, { zone: hours.zone })
  const [hh = 8, mm = 0] = automations.digestAt.split(':').map(Number)
  const dueAt = local.set({ hour: hh, minute: mm, second: 0, millisecond: 0 })
  if (local < dueAt) return
  const startOfDay = local.startOf('day').toJSDate()
  const worksToday =
    hours.alwaysOpen ||
    DateTime.fromJSDate(hours.nextOpening(startOfDay), { zone: hours.zone }).hasSame(local, 'day')
  if (!worksToday) return

  const counts = await db
    .selectFrom('tickets')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', [...WORKING_STATUSES])
    .groupBy('status')
    .execute()
  const since = new Date(now.getTime() - 86_400_000).toISOString()
  const breaches = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'sla_breach')
    .where('created_at', '>=', since)
    .executeTakeFirst()
  const waiting = await db
    .selectFrom('tickets as t')
    .innerJoin('contacts as c', 'c.id', 't.contact_id')
    .select([
      't.id',
      't.channel',
      'c.display_name',
      (eb) => eb.fn.coalesce('t.awaiting_reply_since', 't.created_at').as('since'),
    ])
    // Waiting: never answered (new, or opened by an assignment), or written to again since the last answer.
    .where('t.status', 'in', ['new', 'open'])
    .where((eb) =>
      eb.or([eb('t.first_response_at', 'is', null), eb('t.awaiting_reply_since', 'is not', null)]),
    )
    .orderBy('since')
    .limit(OLDEST_SHOWN)
    .execute()

  const digest: Digest = {
    day: local.toISODate() ?? '',
    open: WORKING_STATUSES.map((status) => ({
      status,
      count: Number(counts.find((c) => c.status === status)?.n ?? 0),
    })),
    slaBreaches: Number(breaches?.n ?? 0),
    waiting: waiting.map((w) => ({
      ticketId: w.id,
      channel: w.channel,
      customer: w.display_name,
      since: w.since,
    })),
  }
  await helpdesk.notifyOnce('digest', digest.day, { kind: 'digest', digest })
}
