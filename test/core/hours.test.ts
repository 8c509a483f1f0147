import fc from 'fast-check'
import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import {
  createBusinessHours,
  localCalendar,
  parseSchedule,
  workingTimeline,
  type OpenSpan,
} from '../../src/core/hours.js'

const H = 3_600_000
const berlin = (schedule: string, holidays: string[] = []) =>
  createBusinessHours({ zone: 'Europe/Berlin', schedule: parseSchedule(schedule), holidays })
const utc = (iso: string) => new Date(iso)

describe('business hours', () => {
  it('treats a span inside the hour skipped in spring as closed that day, and open the next week', () => {
    const hours = berlin('Sun 02:30-03:00')
    // 29 March 2026: Berlin's clocks jump from 02:00 to 03:00.
    const opening = hours.nextOpening(new Date('2026-03-29T00:00:00Z'))
    expect(opening.toISOString()).toBe('2026-04-05T00:30:00.000Z')
    expect(hours.isOpen(opening)).toBe(true)
  })

  const week = berlin('Mon-Fri 09:00-17:00')

  it('knows when the team is open, in its own time zone', () => {
    expect(week.isOpen(utc('2026-11-23T08:00:00Z'))).toBe(true) // Mon 09:00 CET
    expect(week.isOpen(utc('2026-11-23T07:59:59Z'))).toBe(false)
    expect(week.isOpen(utc('2026-11-23T16:00:00Z'))).toBe(false) // 17:00 CET: closed
    expect(week.isOpen(utc('2026-11-28T10:00:00Z'))).toBe(false) // Saturday
  })

  it('finds the next opening across the weekend', () => {
    expect(week.nextOpening(utc('2026-11-27T17:30:00Z')).toISOString()).toBe('2026-11-30T08:00:00.000Z')
    const open = utc('2026-11-24T10:00:00Z')
    expect(week.nextOpening(open)).toEqual(open)
  })

  it('adds working time over a weekend on which the clocks go forward', () => {
    // Fri 27 Mar 2026 16:00 CET + 2 working hours = Mon 30 Mar 10:00 CEST (summer time since Sunday).
    expect(week.addWorkingTime(utc('2026-03-27T15:00:00Z'), 2 * H).toISOString()).toBe(
      '2026-03-30T08:00:00.000Z',
    )
  })

  it('counts the hour a day gains or loses to daylight saving', () => {
    const always = berlin('Mon-Sun 00:00-24:00')
    const spring = always.workingTimeBetween(utc('2026-03-28T23:00:00Z'), utc('2026-03-29T22:00:00Z'))
    const autumn = always.workingTimeBetween(utc('2026-10-24T22:00:00Z'), utc('2026-10-25T23:00:00Z'))
    expect([spring / H, autumn / H]).toEqual([23, 25])
    // Opening hours stay at 09:00 local on both sides of the change.
    expect(week.nextOpening(utc('2026-10-24T12:00:00Z')).toISOString()).toBe('2026-10-26T08:00:00.000Z')
    expect(week.nextOpening(utc('2026-03-28T12:00:00Z')).toISOString()).toBe('2026-03-30T07:00:00.000Z')
  })

  it('skips holidays', () => {
    const xmas = berlin('Mon-Fri 09:00-17:00', ['2026-12-24', '2026-12-25'])
    // Wed 23 Dec 16:00 + 2 working hours: Thu and Fri are holidays → Mon 28 Dec 10:00.
    expect(xmas.addWorkingTime(utc('2026-12-23T15:00:00Z'), 2 * H).toISOString()).toBe(
      '2026-12-28T09:00:00.000Z',
    )
    expect(xmas.isOpen(utc('2026-12-24T10:00:00Z'))).toBe(false)
  })

  it('measures working time between two moments, and adding it back lands where it started', () => {
    const from = utc('2026-11-20T15:00:00Z') // Fri 16:00
    const to = utc('2026-11-24T09:30:00Z') // Tue 10:30
    const worked = week.workingTimeBetween(from, to)
    expect(worked / H).toBe(1 + 8 + 1.5)
    expect(week.addWorkingTime(from, worked)).toEqual(to)
  })

  it('handles several spans a day and weeks that wrap', () => {
    const split = berlin('Mon-Fri 09:00-12:00 13:00-17:00; Sat 10:00-14:00')
    expect(split.isOpen(utc('2026-11-23T11:30:00Z'))).toBe(false) // lunch
    expect(split.isOpen(utc('2026-11-28T10:00:00Z'))).toBe(true) // Saturday 11:00
    const wrap = parseSchedule('Fri-Mon 10:00-12:00')
    expect(wrap.map((s) => s.weekday)).toEqual([5, 6, 7, 1])
  })

  it('says what is wrong with a schedule', () => {
    expect(() => parseSchedule('Mon-Fri')).toThrow('"Mon-Fri" names days but no hours')
    expect(() => parseSchedule('Mon-Fry 09:00-17:00')).toThrow('"Fry" in "Mon-Fry 09:00-17:00" is not a day')
    expect(() => parseSchedule('Mon 9-17')).toThrow('is not a time like 09:00')
    expect(() => parseSchedule('Mon 17:00-09:00')).toThrow('ends before it starts')
  })

  it('is always open without a schedule', () => {
    const always = createBusinessHours({ zone: 'UTC' })
    expect(always.isOpen(utc('2026-11-28T03:00:00Z'))).toBe(true)
    expect(always.addWorkingTime(utc('2026-11-28T03:00:00Z'), H).toISOString()).toBe(
      '2026-11-28T04:00:00.000Z',
    )
  })

  it('reads moments and the schedule in words', () => {
    expect(week.format(utc('2026-11-30T08:00:00Z'))).toBe('Mon 30 Nov, 09:00 (Europe/Berlin)')
    expect(week.describe()).toContain('Mon 09:00–17:00')
    expect(week.describe()).toContain('Sat closed')
  })
})

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'] as const
const DAY = 86_400_000
const FROM = Date.parse('2026-01-01T00:00:00Z')

/** A week of open spans that do not overlap, on a quarter-hour grid, open at least once a week. */
const weekSpans: fc.Arbitrary<OpenSpan[]> = fc
  .array(fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 }), { minLength: 7, maxLength: 7 })
  .map((days) =>
    days.flatMap((marks, i) => {
      const sorted = [...marks].sort((a, b) => a - b)
      const spans: OpenSpan[] = []
      for (let k = 0; k + 1 < sorted.length; k += 2)
        spans.push({ weekday: i + 1, start: (sorted[k] ?? 0) * 15, end: (sorted[k + 1] ?? 0) * 15 })
      return spans
    }),
  )
  .filter((spans) => spans.length > 0)
/** Local dates in the first months of 2026, a few of them holidays. */
const holidays = fc.uniqueArray(
  fc.integer({ min: 0, max: 120 }).map((d) => new Date(FROM + d * DAY).toISOString().slice(0, 10)),
  { maxLength: 8 },
)
const desk = fc
  .record({ zone: fc.constantFrom(...ZONES), schedule: weekSpans, holidays })
  .map((opts) => ({ opts, hours: createBusinessHours(opts) }))
/** An instant in those months, to the minute or to the millisecond. */
const instant = fc.oneof(
  fc.integer({ min: 0, max: 100 * 24 * 60 }).map((m) => FROM + m * 60_000),
  fc.integer({ min: 0, max: 100 * DAY }).map((ms) => FROM + ms),
)
const at = (ms: number) => new Date(ms)
/** An offset of up to two days either way, to the minute or to the millisecond. */
const nearby = fc.oneof(
  fc.integer({ min: -2 * 24 * 60, max: 2 * 24 * 60 }).map((m) => m * 60_000),
  fc.integer({ min: -2 * DAY, max: 2 * DAY }),
)

describe('business hours properties', () => {
  it('is open exactly when the next opening is now, and the next opening is open', () => {
    fc.assert(
      fc.property(desk, instant, ({ hours }, t) => {
        const next = hours.nextOpening(at(t)).getTime()
        expect(next).toBeGreaterThanOrEqual(t)
        expect(hours.isOpen(at(t))).toBe(next === t)
        expect(hours.isOpen(at(next))).toBe(true)
        // Nothing is worked while the team is away.
        expect(hours.workingTimeBetween(at(t), at(next))).toBe(0)
        // The millisecond after an open moment is worked time; after a closed one it is not.
        expect(hours.workingTimeBetween(at(t), at(t + 1))).toBe(hours.isOpen(at(t)) ? 1 : 0)
      }),
    )
  })

  it('counts working time additively, never negative and never more than the time that passed', () => {
    fc.assert(
      fc.property(desk, fc.array(instant, { minLength: 3, maxLength: 3 }), ({ hours }, three) => {
        const [a = 0, b = 0, c = 0] = [...three].sort((x, y) => x - y)
        const ab = hours.workingTimeBetween(at(a), at(b))
        const bc = hours.workingTimeBetween(at(b), at(c))
        expect(ab + bc).toBe(hours.workingTimeBetween(at(a), at(c)))
        expect(ab).toBeGreaterThanOrEqual(0)
        expect(ab).toBeLessThanOrEqual(b - a)
        expect(hours.workingTimeBetween(at(c), at(a))).toBe(0)
      }),
    )
  })

  it('lands an SLA due time after exactly the working time it was given', () => {
    fc.assert(
      fc.property(desk, instant, fc.integer({ min: 0, max: 3 * DAY }), ({ hours }, t, ms) => {
        const due = hours.addWorkingTime(at(t), ms)
        expect(hours.workingTimeBetween(at(t), due)).toBe(ms)
      }),
    )
  })

  it('answers from the stretch it last worked out as it would afresh, whatever the order of moments', () => {
    fc.assert(
      fc.property(
        desk,
        instant,
        fc.array(nearby, { minLength: 1, maxLength: 12 }),
        ({ opts, hours }, base, offsets) => {
          for (const t of offsets.map((d) => base + d)) {
            const fresh = createBusinessHours(opts)
            expect(hours.isOpen(at(t))).toBe(fresh.isOpen(at(t)))
            expect(hours.nextOpening(at(t))).toEqual(fresh.nextOpening(at(t)))
          }
        },
      ),
    )
  })

  it('answers from a timeline as the schedule does, inside its range and past it', () => {
    fc.assert(
      fc.property(
        desk,
        fc.array(instant, { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 20 * DAY }),
        ({ hours }, four, ms) => {
          const [from = 0, to = 0, a = 0, b = 0] = [...four].sort((x, y) => x - y)
          const timeline = workingTimeline(hours, at(from), at(to))
          expect(timeline.workingTimeBetween(at(a), at(b))).toBe(hours.workingTimeBetween(at(a), at(b)))
          // A sparse week may not hold that much working time within ten years: both must say so.
          const outcome = (add: () => Date) => {
            try {
              return add()
            } catch (error) {
              return (error as Error).message
            }
          }
          for (const start of four)
            expect(outcome(() => timeline.addWorkingTime(at(start), ms))).toEqual(
              outcome(() => hours.addWorkingTime(at(start), ms)),
            )
        },
      ),
    )
  })

  it('works no time on a holiday or a day without open hours', () => {
    fc.assert(
      fc.property(desk, fc.integer({ min: 0, max: 120 }), fc.nat(), ({ opts, hours }, d, offset) => {
        const day = DateTime.fromMillis(FROM + d * DAY, { zone: opts.zone }).startOf('day')
        const closed =
          opts.holidays.includes(day.toISODate() ?? '') ||
          !opts.schedule.some((s) => s.weekday === day.weekday && s.end > s.start)
        fc.pre(closed)
        const start = day.toMillis()
        const end = day.plus({ days: 1 }).startOf('day').toMillis()
        expect(hours.workingTimeBetween(at(start), at(end))).toBe(0)
        expect(hours.isOpen(at(start + (offset % (end - start))))).toBe(false)
      }),
    )
  })
})

describe('local calendar', () => {
  it("gives each moment the day and hour luxon gives it, across daylight saving's changes", () => {
    // Years around several changes, in zones that gain or lose a whole hour, half an hour or none.
    const zones = [...ZONES, 'America/St_Johns', 'Pacific/Chatham']
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 3 * 365 * DAY }), (zone, offset) => {
        const calendar = localCalendar(zone)
        // Each moment and the minutes around it, so a change inside a day is crossed.
        for (const ms of [FROM + offset, FROM + offset + 30 * 60_000, FROM + offset - 90 * 60_000]) {
          const local = DateTime.fromMillis(ms, { zone })
          expect([calendar.dayOf(ms), calendar.hourOf(ms)]).toEqual([local.toISODate(), local.hour])
        }
      }),
      { numRuns: 500 },
    )
  })

  it('moves to the next day at local midnight, not at UTC midnight', () => {
    const berlin = localCalendar('Europe/Berlin')
    // 2026-03-29 is the day Berlin moves from UTC+1 to UTC+2 at 02:00 local time.
    expect(berlin.dayOf(Date.parse('2026-03-28T22:59:59Z'))).toBe('2026-03-28')
    expect(berlin.dayOf(Date.parse('2026-03-28T23:00:00Z'))).toBe('2026-03-29')
    expect(berlin.hourOf(Date.parse('2026-03-29T00:59:59Z'))).toBe(1)
    expect(berlin.hourOf(Date.parse('2026-03-29T01:00:00Z'))).toBe(3)
    expect(berlin.dayOf(Date.parse('2026-03-29T21:59:59Z'))).toBe('2026-03-29')
    expect(berlin.dayOf(Date.parse('2026-03-29T22:00:00Z'))).toBe('2026-03-30')
  })
})
