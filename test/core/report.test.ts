import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { workingTimeline } from '../../src/core/hours.js'
import { createReports, nearestRank } from '../../src/core/report.js'
import { reportCsv } from '../../src/core/report-csv.js'
import { parseReportRequest, periodNamed } from '../../src/core/report-request.js'
import type { Db } from '../../src/db/connection.js'
import { memoryDb } from '../helpers/db.js'
import { ANA, BEN, REPORT_NOW, reportSla, seedReportWeek } from '../helpers/report-world.js'

const M = 60_000
const week = periodNamed('2026-11-23..2026-11-27', REPORT_NOW, 'UTC')
const CHANNELS = ['telegram', 'whatsapp_cloud', 'discord']

describe('the report of a week worked out by hand', () => {
  let db: Db
  const reports = () => createReports({ db, clock: { now: () => REPORT_NOW }, sla: reportSla })

  beforeEach(async () => {
    db = await memoryDb()
    await seedReportWeek(db)
  })
  afterEach(async () => {
    await db.destroy()
  })

  it('counts created, solved, reopened and still open, in all and by channel, type and priority', async () => {
    const report = await reports().build(week, {})
    expect(report.workingTime).toBe(true)
    expect(report.totals).toEqual({ created: 5, solved: 3, reopened: 1, stillOpen: 3 })
    expect(report.byChannel).toEqual([
      { key: 'telegram', created: 3, solved: 2, reopened: 0, stillOpen: 2 },
      { key: 'discord', created: 1, solved: 0, reopened: 0, stillOpen: 1 },
      { key: 'whatsapp_cloud', created: 1, solved: 1, reopened: 1, stillOpen: 0 },
    ])
    expect(report.byType).toEqual([
      { key: 'question', created: 3, solved: 2, reopened: 0, stillOpen: 2 },
      { key: '(none)', created: 1, solved: 0, reopened: 0, stillOpen: 1 },
      { key: 'incident', created: 1, solved: 1, reopened: 1, stillOpen: 0 },
    ])
    expect(report.byPriority).toEqual([
      { key: 'urgent', created: 1, solved: 0, reopened: 0, stillOpen: 1 },
      { key: 'high', created: 1, solved: 1, reopened: 1, stillOpen: 0 },
      { key: 'normal', created: 2, solved: 2, reopened: 0, stillOpen: 1 },
      { key: 'low', created: 1, solved: 0, reopened: 0, stillOpen: 1 },
    ])
  })

  it('measures first response and resolution in working time, on-hold time left out', async () => {
    const report = await reports().build(week, {})
    // First responses: T1 30 min, T2 75 min (Mon 16:30–17:00 and Tue 09:00–09:45), T3 2 h (on hold between).
    expect(report.firstResponse).toEqual({ count: 3, medianMs: 75 * M, p90Ms: 120 * M })
    // Solved in the week: T1 2 h, T6 8 h (Fri 10–17, Mon 9–10), T2 10.5 h at its last solve.
    expect(report.resolution).toEqual({ count: 3, medianMs: 480 * M, p90Ms: 630 * M })
  })

  it('judges each SLA target per priority: met, breached or still running', async () => {
    const report = await reports().build(week, {})
    const line = (priority: string, clock: string) =>
      report.sla.find((l) => l.priority === priority && l.clock === clock)
    expect(line('urgent', 'first_response')).toMatchObject({ met: 0, breached: 1, pending: 0 })
    expect(line('urgent', 'resolution')).toMatchObject({ met: 0, breached: 1, pending: 0 })
    expect(line('high', 'first_response')).toMatchObject({
      met: 0,
      breached: 1,
      pending: 0,
      targetMs: 60 * M,
    })
    expect(line('high', 'resolution')).toMatchObject({ met: 0, breached: 1, pending: 0 })
    expect(line('normal', 'first_response')).toMatchObject({ met: 2, breached: 0, pending: 0 })
    // T3 has used 25 working hours of its 24 (32 h since Tuesday 10:00, 7 of them on hold).
    expect(line('normal', 'resolution')).toMatchObject({ met: 1, breached: 1, pending: 0 })
    expect(line('low', 'first_response')).toMatchObject({ met: 0, breached: 0, pending: 1 })
    expect(line('low', 'resolution')).toMatchObject({ met: 0, breached: 0, pending: 1 })
    expect(report.sla).toHaveLength(8)
  })

  it('has a line per agent and the busiest hours', async () => {
    const report = await reports().build(week, {})
    expect(report.agents).toEqual([
      {
        agent: BEN,
        assigned: 1,
        solved: 2,
        medianFirstResponseMs: 75 * M,
        medianResolutionMs: 480 * M,
        breaches: 2,
        reopens: 1,
      },
      {
        agent: ANA,
        assigned: 2,
        solved: 1,
        medianFirstResponseMs: 30 * M,
        medianResolutionMs: 120 * M,
        breaches: 2,
        reopens: 0,
      },
    ])
    expect(report.busiestHours).toEqual([
      { hour: 9, created: 2 },
      { hour: 16, created: 2 },
      { hour: 10, created: 1 },
    ])
  })

  it('follows each day: tickets by channel, first response, and the backlog at its end', async () => {
    const report = await reports().build(week, {})
    expect(report.days.map((d) => d.day)).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
    ])
    expect(report.days.map((d) => d.createdByChannel)).toEqual([
      { telegram: 1, whatsapp_cloud: 1 },
      { telegram: 1 },
      {},
      { discord: 1 },
      { telegram: 1 },
    ])
    expect(report.days.map((d) => [d.firstResponse.medianMs, d.firstResponse.p90Ms])).toEqual([
      [30 * M, 75 * M],
      [120 * M, 120 * M],
      [null, null],
      [null, null],
      [null, null],
    ])
    expect(report.days.map((d) => d.backlog)).toEqual([1, 1, 1, 2, 3])
  })

  it('narrows to one channel or one agent', async () => {
    const telegram = await reports().build(week, { channel: 'telegram' })
    expect(telegram.totals).toEqual({ created: 3, solved: 2, reopened: 0, stillOpen: 2 })
    const ben = await reports().build(week, { agent: BEN })
    expect(ben.totals).toEqual({ created: 1, solved: 2, reopened: 1, stillOpen: 0 })
    expect(ben.agents.map((a) => a.agent)).toEqual([BEN])
  })

  it('lists every ticket of the period in the CSV, one column per fact', async () => {
    const csv = reportCsv(await reports().build(week, {}))
    expect(csv.split('\r\n')).toEqual([
      'ticket,created_at,channel,type,priority,status,assignee,first_response_at,first_response_min,solved_at,resolution_min,sla_first_response,sla_resolution,reopens,tags',
      `1,2026-11-23T09:00:00.000Z,telegram,question,normal,solved,${ANA},2026-11-23T09:30:00.000Z,30,2026-11-23T11:00:00.000Z,120,met,met,0,billing vip`,
      `2,2026-11-23T16:30:00.000Z,whatsapp_cloud,incident,high,solved,${BEN},2026-11-24T09:45:00.000Z,75,2026-11-25T11:00:00.000Z,630,breached,breached,1,`,
      '3,2026-11-24T10:00:00.000Z,telegram,question,normal,open,,2026-11-25T11:00:00.000Z,120,,,met,breached,0,',
      `4,2026-11-26T09:00:00.000Z,discord,,urgent,new,${ANA},,,,,breached,breached,0,`,
      '5,2026-11-27T16:00:00.000Z,telegram,question,low,new,,,,,,pending,pending,0,',
      '',
    ])
  })
})

describe('report requests', () => {
  const now = new Date('2026-11-30T10:00:00Z')
  const parse = (text: string) => parseReportRequest(text, now, 'Europe/Berlin', CHANNELS)

  it('read periods in the team time zone, the last 7 days by default', () => {
    const iso = (text: string) => {
      const { period } = parse(text)
      return [period.from.toISOString(), period.to.toISOString()]
    }
    expect(iso('')).toEqual(['2026-11-23T23:00:00.000Z', '2026-11-30T10:00:00.000Z'])
    expect(iso('today')).toEqual(['2026-11-29T23:00:00.000Z', '2026-11-30T10:00:00.000Z'])
    expect(iso('yesterday')).toEqual(['2026-11-28T23:00:00.000Z', '2026-11-29T23:00:00.000Z'])
    expect(iso('30d')).toEqual(['2026-10-31T23:00:00.000Z', '2026-11-30T10:00:00.000Z'])
    expect(iso('2026-11-01..2026-11-02')).toEqual(['2026-10-31T23:00:00.000Z', '2026-11-02T23:00:00.000Z'])
    // A period that runs into the future ends now.
    expect(iso('2026-11-30..2026-12-05')[1]).toBe('2026-11-30T10:00:00.000Z')
  })

  it('read filters and options', () => {
    expect(parse('30d channel:Telegram agent:<@UBEN|ben> public csv')).toMatchObject({
      channel: 'telegram',
      agent: 'UBEN',
      public: true,
      csv: true,
    })
  })

  it.each([
    ['2026-13-40..x', '`2026-13-40..x` is not a period.'],
    ['2026-13-40..2026-12-01', '`2026-13-40` is not a date.'],
    ['2026-11-05..2026-11-01', 'ends before it starts'],
    ['2024-01-01..2026-01-01', 'longer than 366 days'],
    ['2027-01-01..2027-01-02', 'has not begun yet'],
    ['0d', 'between 1d and 366d'],
    ['channel:fax', '`fax` is not a channel'],
    ['agent:bob', '`bob` is not a linked @mention'],
    ['status:open', '`status:` is not a report filter'],
    ['7d today', 'Give one period'],
  ])('refuse %s, saying why and what is accepted', (text, why) => {
    expect(() => parse(text)).toThrow(why)
    expect(() => parse(text)).toThrow('/report [today|yesterday|7d|30d|YYYY-MM-DD..YYYY-MM-DD]')
  })

  it('measure working time from the open stretches as business hours do', () => {
    const from = new Date('2026-11-20T00:00:00Z')
    const to = new Date('2026-12-20T00:00:00Z')
    const timeline = workingTimeline(reportSla.hours, from, to)
    const moment = fc.integer({ min: from.getTime() - 86_400_000, max: to.getTime() + 86_400_000 })
    fc.assert(
      fc.property(moment, moment, (a, b) => {
        const [x, y] = [new Date(a), new Date(b)]
        expect(timeline.workingTimeBetween(x, y)).toBe(reportSla.hours.workingTimeBetween(x, y))
      }),
      { numRuns: 300 },
    )
  })

  it('rank without interpolating', () => {
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(2)
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9)
    expect(nearestRank([], 0.5)).toBeNull()
  })
})
