import { DateTime, IANAZone } from 'luxon'

/** One open stretch of a weekday, in minutes after local midnight (end may be 1440). */
export interface OpenSpan {
  /** 1 = Monday … 7 = Sunday. */
  readonly weekday: number
  readonly start: number
  readonly end: number
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
const LONGEST_SEARCH_DAYS = 3_700

function minutes(hhmm: string, spec: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm)
  const h = Number(match?.[1])
  const m = Number(match?.[2])
  if (match === null || h > 24 || m > 59 || (h === 24 && m !== 0)) {
    throw new Error(`"${hhmm}" in "${spec}" is not a time like 09:00`)
  }
  return h * 60 + m
}

function weekday(name: string, spec: string): number {
  const index = DAYS.indexOf(name.slice(0, 3).toLowerCase() as (typeof DAYS)[number])
  if (index < 0) throw new Error(`"${name}" in "${spec}" is not a day (Mon … Sun)`)
  return index + 1
}

/**
 * Reads a weekly schedule such as `Mon-Fri 09:00-17:00; Sat 10:00-14:00` (groups separated by `;`
 * or `,`, several spans per group allowed, `Fri-Mon` wraps round the week). Throws an Error that
 * says what is wrong.
 */
export function parseSchedule(spec: string): OpenSpan[] {
  const spans: OpenSpan[] = []
  for (const group of spec
    .split(/[;,]/)
    .map((g) => g.trim())
    .filter(Boolean)) {
    const [days = '', ...ranges] = group.split(/\s+/)
    if (ranges.length === 0) throw new Error(`"${group}" names days but no hours (like Mon-Fri 09:00-17:00)`)
    const [from = '', to = from] = days.split('-')
    const first = weekday(from, spec)
    const last = weekday(to, spec)
    const count = ((last - first + 7) % 7) + 1
    for (const range of ranges) {
      const [start = '', end = ''] = range.split('-')
      const s = minutes(start, spec)
      const e = minutes(end, spec)
      if (e <= s)
        throw new Error(`"${range}" in "${spec}" ends before it starts (use 00:00-24:00 for a whole day)`)
      for (let i = 0; i < count; i++) spans.push({ weekday: ((first - 1 + i) % 7) + 1, start: s, end: e })
    }
  }
  if (spans.length === 0) throw new Error('the schedule has no open hours')
  return spans
}

export interface BusinessHours {
  readonly zone: string
  readonly alwaysOpen: boolean
  isOpen(at: Date): boolean
  /** `at` itself when open, else the next moment the team opens. */
  nextOpening(at: Date): Date
  /** The moment `ms` of working time have passed after `start`. */
  addWorkingTime(start: Date, ms: number): Date
  /** The working time between two moments (0 when `to` is not after `from`). */
  workingTimeBetween(from: Date, to: Date): number
  /** The same, between moments in ms since the epoch. */
  msBetween(a: number, b: number): number
  /** The open stretches between two moments, as [start, end) epoch milliseconds, in order. */
  openSpans(from: Date, to: Date): (readonly [number, number])[]
  /** The schedule in words, for /hours. */
  describe(): string
  /** A moment as people in the team's zone read it: `Mon 24 Nov, 09:00 (Europe/Berlin)`. */
  format(at: Date): string
}

export interface HoursOptions {
  readonly zone: string
  /** Undefined for always open. */
  readonly schedule?: readonly OpenSpan[] | undefined
  /** Local dates (YYYY-MM-DD) the team is closed all day. */
  readonly holidays?: readonly string[]
}

export const isValidZone = (zone: string): boolean => IANAZone.isValidZone(zone)

/**
 * Working hours in a time zone. Open spans are laid on each local day by wall-clock time, so a
 * day that loses or gains an hour to daylight saving keeps its 09:00 opening.
 */
export function createBusinessHours(opts: HoursOptions): BusinessHours {
  const { zone } = opts
  const holidays = new Set(opts.holidays ?? [])
  const schedule = opts.schedule
  const byDay = new Map<number, OpenSpan[]>()
  for (const span of schedule ?? []) byDay.set(span.weekday, [...(byDay.get(span.weekday) ?? []), span])
  for (const spans of byDay.values()) spans.sort((a, b) => a.start - b.start)

  const at = (day: DateTime, minute: number): number =>
    minute === 1440
      ? day.plus({ days: 1 }).startOf('day').toMillis()
      : day.set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 }).toMillis()

  /** Open stretches as [start, end) epoch milliseconds, in order, from the local day of `from` on. */
  function* spansFrom(from: Date): Generator<readonly [number, number]> {
    let day = DateTime.fromJSDate(from, { zone }).startOf('day')
    for (let i = 0; i < LONGEST_SEARCH_DAYS; i++, day = day.plus({ days: 1 })) {
      if (holidays.has(day.toISODate() ?? '')) continue
      for (const span of byDay.get(day.weekday) ?? []) {
        const [start, end] = [at(day, span.start), at(day, span.end)]
        // A span inside the hour skipped when clocks go forward does not exist that day.
        if (start < end) yield [start, end]
      }
    }
  }

  const always = schedule === undefined

  /** Open or closed from `from` until `until` (epoch ms): the latest answer of `stateAt`. */
  let known: { readonly from: number; readonly until: number; readonly open: boolean } | undefined

  /**
   * Whether the team is open at `t`, and the stretch around it over which that holds (closed: up
   * to the next opening); undefined when no opening is found. Kept until a moment outside it is
   * asked: every inbound message asks, and laying out the day in luxon each time made the garbage
   * of a busy ingest.
   */
  function stateAt(t: number): typeof known {
    if (known !== undefined && known.from <= t && t < known.until) return known
    for (const [s, e] of spansFrom(new Date(t))) {
      if (e <= t) continue
      known = s <= t ? { from: s, until: e, open: true } : { from: t, until: s, open: false }
      return known
    }
    return undefined
  }

  function msBetween(a: number, b: number): number {
    if (b <= a) return 0
    if (always) return b - a
    let total = 0
    for (const [s, e] of spansFrom(new Date(a))) {
      if (s >= b) break
      total += Math.max(0, Math.min(e, b) - Math.max(s, a))
    }
    return total
  }

  return {
    zone,
    alwaysOpen: always,

    isOpen(moment) {
      if (always) return true
      return stateAt(moment.getTime())?.open ?? false
    },

    nextOpening(moment) {
      if (always) return moment
      const t = moment.getTime()
      const state = stateAt(t)
      if (state === undefined)
        throw new Error('no opening within ten years: check BUSINESS_HOURS and HOLIDAYS')
      return new Date(state.open ? t : state.until)
    },

    addWorkingTime(start, ms) {
      if (always) return new Date(start.getTime() + ms)
      let remaining = ms
      const t = start.getTime()
      for (const [s, e] of spansFrom(start)) {
        if (e <= t) continue
        const from = Math.max(s, t)
        if (remaining <= e - from) return new Date(from + remaining)
        remaining -= e - from
      }
      throw new Error('no opening within ten years: check BUSINESS_HOURS and HOLIDAYS')
    },

    workingTimeBetween: (from, to) => msBetween(from.getTime(), to.getTime()),
    msBetween,

    openSpans(from, to) {
      const a = from.getTime()
      const b = to.getTime()
      if (b <= a) return []
      if (always) return [[a, b]]
      const spans: (readonly [number, number])[] = []
      for (const [s, e] of spansFrom(from)) {
        if (s >= b) break
        if (e > a) spans.push([Math.max(s, a), Math.min(e, b)])
      }
      return spans
    },

    describe() {
      if (always) return `Always open (${zone}).`
      const hhmm = (m: number) =>
        `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
      const lines = DAYS.map((name, i) => {
        const spans = byDay.get(i + 1) ?? []
        const label = name[0]?.toUpperCase() + name.slice(1)
        return `${label} ${spans.length === 0 ? 'closed' : spans.map((s) => `${hhmm(s.start)}–${hhmm(s.end)}`).join(', ')}`
      })
      const off = holidays.size === 0 ? '' : `\nHolidays: ${[...holidays].sort().join(', ')}`
      return `${lines.join('\n')}\nTime zone: ${zone}${off}`
    },

    format(moment) {
      return `${DateTime.fromJSDate(moment, { zone }).toFormat('ccc d LLL, HH:mm')} (${zone})`
    },
  }
}

/**
 * Working time between moments within [from, to), and the moment a span of working time ends when
 * it starts there, from the open stretches read once and summed up: reports and SLA passes measure
 * thousands of times over the same weeks. Outside the range it asks `hours`.
 */
export function workingTimeline(
  hours: BusinessHours,
  from: Date,
  to: Date,
): Pick<BusinessHours, 'workingTimeBetween' | 'msBetween' | 'addWorkingTime'> {
  // Always open, the range is one open stretch: the same sums hold. Within the range, measuring
  // allocates nothing.
  const spans = hours.openSpans(from, to)
  const before: number[] = []
  let sum = 0
  for (const [s, e] of spans) {
    before.push(sum)
    sum += e - s
  }
  /** The index of the last span that starts at or before `t`, -1 when none does. */
  const lastStartingBy = (t: number): number => {
    let lo = 0
    let hi = spans.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if ((spans[mid]?.[0] ?? Infinity) <= t) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return found
  }
  /** Working time from `from` up to `t`. */
  const upTo = (t: number): number => {
    const found = lastStartingBy(t)
    const span = spans[found]
    return span === undefined ? 0 : (before[found] ?? 0) + Math.min(t, span[1]) - span[0]
  }
  const fromMs = from.getTime()
  const toMs = to.getTime()
  const msBetween = (a: number, b: number): number => {
    if (b <= a) return 0
    if (a < fromMs || b > toMs) return hours.msBetween(a, b)
    return upTo(b) - upTo(a)
  }
  return {
    workingTimeBetween: (a, b) => msBetween(a.getTime(), b.getTime()),
    msBetween,
    addWorkingTime(start, ms) {
      const t = start.getTime()
      if (start < from || start >= to) return hours.addWorkingTime(start, ms)
      let remaining = ms
      for (let i = Math.max(0, lastStartingBy(t)); i < spans.length; i++) {
        const [s, e] = spans[i] ?? [0, 0]
        if (e <= t) continue
        const begin = Math.max(s, t)
        if (remaining <= e - begin) return new Date(begin + remaining)
        remaining -= e - begin
      }
      // Past the last stretch read (which may end early, at `to`): counted afresh.
      return hours.addWorkingTime(start, ms)
    },
  }
}

const DAY_MS = 86_400_000

/**
 * The local day and hour of many moments in one time zone, for reports over tens of thousands of
 * tickets: the zone's offset is looked up once per UTC day, and moment by moment only on a day
 * it changes (daylight saving).
 */
export function localCalendar(zone: string): {
  /** YYYY-MM-DD in the zone. */
  dayOf(ms: number): string
  /** 0–23 in the zone. */
  hourOf(ms: number): number
} {
  const tz = IANAZone.create(zone)
  /** Per UTC day: its offset in minutes, or null when the offset changes that day. */
  const offsets = new Map<number, number | null>()
  /** Per local day (days since 1970-01-01 there): its date. */
  const dates = new Map<number, string>()
  /** The moment moved by the zone's offset: its UTC fields are the local ones. */
  const local = (ms: number): number => {
    const day = Math.floor(ms / DAY_MS)
    let offset = offsets.get(day)
    if (offset === undefined) {
      const first = tz.offset(day * DAY_MS)
      offset = first === tz.offset((day + 1) * DAY_MS - 1) ? first : null
      offsets.set(day, offset)
    }
    return ms + (offset ?? tz.offset(ms)) * 60_000
  }
  return {
    dayOf(ms) {
      const day = Math.floor(local(ms) / DAY_MS)
      let date = dates.get(day)
      if (date === undefined) dates.set(day, (date = new Date(day * DAY_MS).toISOString().slice(0, 10)))
      return date
    },
    hourOf: (ms) => ((Math.floor(local(ms) / 3_600_000) % 24) + 24) % 24,
  }
}
