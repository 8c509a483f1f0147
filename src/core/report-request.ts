import { DateTime } from 'luxon'
import { DeskError } from './errors.js'
import type { Channel } from './model.js'
import { personRef } from './person-ref.js'

/** A report's period: [from, to), in the team's time zone, with the name people gave it. */
export interface ReportPeriod {
  readonly from: Date
  readonly to: Date
  /** `7d`, `2026-11-01..2026-11-30`: what was asked for. */
  readonly name: string
  readonly zone: string
}

/** What `/report` was asked for. */
export interface ReportRequest {
  readonly period: ReportPeriod
  readonly channel?: Channel
  /** One agent's figures only (a desk user id). */
  readonly agent?: string
  /** Answer in the channel for everyone, not only to the caller. */
  readonly public: boolean
  /** Also upload the period's tickets as CSV. */
  readonly csv: boolean
}

export const REPORT_HELP =
  'Use `/report [today|yesterday|7d|30d|YYYY-MM-DD..YYYY-MM-DD] [channel:NAME] [agent:@user] [public] [csv]`; without a period, the last 7 days.'

/** The longest period one report covers. */
const MAX_DAYS = 366

function invalid(why: string): DeskError {
  return new DeskError('invalid', `${why} ${REPORT_HELP}`)
}

/**
 * The period a word names at `now` in `zone`: `today`, `yesterday`, the last `7d` or `30d`
 * (today included, up to now), or whole local days `FROM..TO` (both included).
 */
export function periodNamed(word: string, now: Date, zone: string): ReportPeriod {
  const local = DateTime.fromJSDate(now, { zone })
  const today = local.startOf('day')
  const lower = word.toLowerCase()
  const period = (from: DateTime, to: DateTime | Date): ReportPeriod => ({
    from: from.toJSDate(),
    to: to instanceof Date ? to : to.toJSDate(),
    name: lower,
    zone,
  })
  if (lower === 'today') return period(today, now)
  if (lower === 'yesterday') return period(today.minus({ days: 1 }), today)
  const days = /^(\d{1,3})d$/.exec(lower)
  if (days !== null) {
    const n = Number(days[1])
    if (n < 1 || n > MAX_DAYS) throw invalid(`\`${word}\` must be between 1d and ${MAX_DAYS}d.`)
    return period(today.minus({ days: n - 1 }), now)
  }
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(lower)
  if (range === null) throw invalid(`\`${word}\` is not a period.`)
  const from = DateTime.fromISO(range[1] ?? '', { zone })
  const to = DateTime.fromISO(range[2] ?? '', { zone })
  if (!from.isValid) throw invalid(`\`${range[1]}\` is not a date.`)
  if (!to.isValid) throw invalid(`\`${range[2]}\` is not a date.`)
  if (to < from) throw invalid(`\`${word}\` ends before it starts.`)
  if (to.diff(from, 'days').days >= MAX_DAYS) throw invalid(`\`${word}\` is longer than ${MAX_DAYS} days.`)
  if (from > local) throw invalid(`\`${word}\` has not begun yet.`)
  const end = to.plus({ days: 1 })
  // A period that runs into the future ends now: nothing is known of what comes after.
  return period(from, end > local ? now : end)
}

/** Reads `/report`'s words; throws a DeskError that shows the accepted forms for anything else. */
export function parseReportRequest(
  text: string,
  now: Date,
  zone: string,
  channels: readonly Channel[],
): ReportRequest {
  let period: ReportPeriod | undefined
  let channel: Channel | undefined
  let agent: string | undefined
  let isPublic = false
  let csv = false
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const lower = token.toLowerCase()
    const field = /^(\w+):(.*)$/.exec(token)
    if (lower === 'public') isPublic = true
    else if (lower === 'csv') csv = true
    else if (field?.[1]?.toLowerCase() === 'channel') {
      const name = (field[2] ?? '').toLowerCase()
      if (!channels.includes(name))
        throw invalid(`\`${field[2]}\` is not a channel (${channels.join(', ')}).`)
      channel = name
    } else if (field?.[1]?.toLowerCase() === 'agent') {
      agent = personRef(field[2] ?? '')
      if (agent === undefined) throw invalid(`\`${field[2]}\` is not a linked @mention.`)
    } else if (field !== null) throw invalid(`\`${field[1]}:\` is not a report filter.`)
    else if (period !== undefined) throw invalid(`Give one period, not \`${period.name}\` and \`${token}\`.`)
    else period = periodNamed(token, now, zone)
  }
  return {
    period: period ?? periodNamed('7d', now, zone),
    ...(channel !== undefined && { channel }),
    ...(agent !== undefined && { agent }),
    public: isPublic,
    csv,
  }
}

/** A period as people read it: `Mon 23 Nov – Fri 27 Nov 2026`, or one day alone. */
export function periodLabel(period: ReportPeriod): string {
  const first = DateTime.fromJSDate(period.from, { zone: period.zone })
  const last = DateTime.fromJSDate(new Date(period.to.getTime() - 1), { zone: period.zone })
  if (first.hasSame(last, 'day')) return first.toFormat('ccc d LLL yyyy')
  return `${first.toFormat(first.hasSame(last, 'year') ? 'ccc d LLL' : 'ccc d LLL yyyy')} – ${last.toFormat('ccc d LLL yyyy')}`
}

/** A duration in words, to the minute: `45 min`, `2 h`, `10 h 30 min`; a dash for none. */
export function durationWords(ms: number | null): string {
  if (ms === null) return '–'
  const minutes = Math.round(ms / 60_000)
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  if (h === 0) return `${m} min`
  return m === 0 ? `${h} h` : `${h} h ${m} min`
}
