/**
 * Draws docs/report-chart-example.png: the first chart of a made-up month, to show in README what
 * `/report 30d` uploads. `npx tsx scripts/chart-example.ts`.
 */
import { writeFileSync } from 'node:fs'
import { DateTime } from 'luxon'
import { reportChartSpecs, svgToPng } from '../src/charts/report-charts.js'
import { chartSvg } from '../src/charts/svg-chart.js'
import type { Report } from '../src/core/report.js'

const labels: Record<string, string> = {
  telegram: 'Telegram',
  whatsapp_cloud: 'WhatsApp',
  discord: 'Discord',
}
let seed = 7
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
const start = DateTime.fromISO('2026-11-01', { zone: 'Europe/Berlin' })
let backlog = 24
const days = Array.from({ length: 30 }, (_, i) => {
  const day = start.plus({ days: i })
  const weekend = day.weekday > 5 ? 0.3 : 1
  const created = {
    telegram: Math.round((8 + random() * 8) * weekend),
    whatsapp_cloud: Math.round((5 + random() * 6) * weekend),
    discord: Math.round((1 + random() * 3) * weekend),
  }
  backlog = Math.max(4, backlog + Math.round((random() - 0.55) * 8))
  const median = (20 + random() * 40) * 60_000
  return {
    day: day.toISODate() ?? '',
    createdByChannel: created,
    firstResponse: { count: 10, medianMs: median, p90Ms: median * (2 + random()) },
    backlog,
  }
})
const report = {
  period: {
    from: start.toJSDate(),
    to: start.plus({ days: 30 }).toJSDate(),
    name: '30d',
    zone: 'Europe/Berlin',
  },
  workingTime: true,
  days,
} as unknown as Report
const specs = reportChartSpecs(report, (c) => labels[c] ?? c)
const only = process.argv[2]
for (const { name, spec } of specs) {
  if (only === undefined ? name !== 'tickets-per-day' : name !== only) continue
  writeFileSync(
    only === undefined ? 'docs/report-chart-example.png' : `/tmp/reports-${name}.png`,
    await svgToPng(chartSvg(spec)),
  )
}
