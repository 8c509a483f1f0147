import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { reportChartSpecs, reportCharts } from '../../src/charts/report-charts.js'
import { CHART_HEIGHT, CHART_WIDTH, niceScale } from '../../src/charts/svg-chart.js'
import { createReports, type Report } from '../../src/core/report.js'
import { periodNamed } from '../../src/core/report-request.js'
import type { Db } from '../../src/db/connection.js'
import { catalog } from '../helpers/channels.js'
import { memoryDb } from '../helpers/db.js'
import { colourCounts, decodePng } from '../helpers/png.js'
import { REPORT_NOW, reportSla, seedReportWeek } from '../helpers/report-world.js'

describe('report charts', () => {
  let db: Db
  let report: Report

  beforeEach(async () => {
    db = await memoryDb()
    await seedReportWeek(db)
    const reports = createReports({ db, clock: { now: () => REPORT_NOW }, sla: reportSla })
    report = await reports.build(periodNamed('2026-11-23..2026-11-27', REPORT_NOW, 'UTC'), {})
  })
  afterEach(async () => {
    await db.destroy()
  })

  it('are valid PNGs of the expected size, drawn, with the series in their colours', async () => {
    const charts = await reportCharts(report, catalog.labelOf)
    expect(charts.map((c) => c.filename)).toEqual([
      'tickets-per-day-2026-11-23..2026-11-27.png',
      'first-response-2026-11-23..2026-11-27.png',
      'backlog-2026-11-23..2026-11-27.png',
    ])
    for (const chart of charts) {
      const { width, height, rgba } = decodePng(chart.bytes)
      expect([width, height]).toEqual([CHART_WIDTH, CHART_HEIGHT])
      const colours = colourCounts(rgba)
      const white = colours.get('#ffffff') ?? 0
      // Not blank: a good share of the picture is axes, text and data.
      expect(width * height - white).toBeGreaterThan(width * height * 0.02)
      // The first series is drawn in the first colour (Okabe–Ito blue).
      expect(colours.get('#0072b2') ?? 0).toBeGreaterThan(500)
    }
  })

  it('say what they show: title, period, unit, days and series', () => {
    const [tickets, firstResponse, backlog] = reportChartSpecs(report, catalog.labelOf).map((c) => c.spec)
    expect(tickets).toMatchObject({
      subtitle: 'Mon 23 Nov – Fri 27 Nov 2026 · tickets created',
      yLabel: 'tickets created',
      xLabels: ['23 Nov', '24 Nov', '25 Nov', '26 Nov', '27 Nov'],
      series: [
        { name: 'Discord', values: [0, 0, 0, 1, 0] },
        { name: 'Telegram', values: [1, 1, 0, 0, 1] },
        { name: 'WhatsApp', values: [1, 0, 0, 0, 0] },
      ],
    })
    expect(firstResponse).toMatchObject({
      subtitle: 'Mon 23 Nov – Fri 27 Nov 2026 · tickets created that day · working time',
      yLabel: 'minutes',
      series: [
        { name: 'median', values: [30, 120, null, null, null] },
        { name: '90th percentile', values: [75, 120, null, null, null] },
      ],
    })
    expect(backlog?.series).toEqual([{ name: 'backlog', values: [1, 1, 1, 2, 3] }])
  })

  it('scale the y axis to round steps, whole for counts', () => {
    expect(niceScale(3)).toEqual({ top: 3, step: 1 })
    expect(niceScale(0)).toEqual({ top: 4, step: 1 })
    expect(niceScale(47)).toEqual({ top: 50, step: 10 })
    expect(niceScale(1.3)).toEqual({ top: 1.5, step: 0.5 })
  })
})
