import type * as Rasteriser from '@resvg/resvg-js'
import { DateTime } from 'luxon'
import type { Report } from '../core/report.js'
import { periodLabel } from '../core/report-request.js'
import { chartSvg, type ChartSpec } from './svg-chart.js'

/** A chart as a picture to upload. */
export interface ChartFile {
  readonly filename: string
  readonly bytes: Buffer
}

/** Names a channel for people (the catalog's labels). */
type LabelOf = (channel: string) => string

const dayLabel = (day: string): string => DateTime.fromISO(day).toFormat('d LLL')

/** The charts of a report, as SVG specs: tickets per day by channel, first response per day, backlog. */
export function reportChartSpecs(report: Report, labelOf: LabelOf): { name: string; spec: ChartSpec }[] {
  const period = periodLabel(report.period)
  const xLabels = report.days.map((d) => dayLabel(d.day))
  const xLabel = `day (${report.period.zone})`
  const channels = [...new Set(report.days.flatMap((d) => Object.keys(d.createdByChannel)))].sort()
  const p90s = report.days.map((d) => d.firstResponse.p90Ms ?? 0)
  // Minutes while the slowest answers take up to two hours; hours beyond.
  const inHours = Math.max(0, ...p90s) > 2 * 3_600_000
  const unit = inHours ? 3_600_000 : 60_000
  const time = (ms: number | null) => (ms === null ? null : Math.round((ms / unit) * 10) / 10)
  const clock = report.workingTime ? 'working time' : 'wall-clock time'
  return [
    {
      name: 'tickets-per-day',
      spec: {
        title: 'Tickets per day, by channel',
        subtitle: `${period} · tickets created`,
        yLabel: 'tickets created',
        xLabels,
        xLabel,
        series: channels.map((c) => ({
          name: labelOf(c),
          values: report.days.map((d) => d.createdByChannel[c] ?? 0),
        })),
        kind: 'stacked',
        empty: 'No tickets were created in this period',
      },
    },
    {
      name: 'first-response',
      spec: {
        title: 'First response time per day',
        subtitle: `${period} · tickets created that day · ${clock}`,
        yLabel: inHours ? 'hours' : 'minutes',
        xLabels,
        xLabel,
        series: [
          { name: 'median', values: report.days.map((d) => time(d.firstResponse.medianMs)) },
          { name: '90th percentile', values: report.days.map((d) => time(d.firstResponse.p90Ms)) },
        ],
        kind: 'lines',
        empty: 'No ticket created in this period was answered yet',
      },
    },
    {
      name: 'backlog',
      spec: {
        title: 'Backlog at the end of each day',
        subtitle: `${period} · tickets new, open, pending or on hold`,
        yLabel: 'tickets that need work',
        xLabels,
        xLabel,
        series: [{ name: 'backlog', values: report.days.map((d) => d.backlog) }],
        kind: 'lines',
        empty: 'Nothing waited for the team in this period',
      },
    },
  ]
}

/** resvg, loaded with the first chart: a process that never draws one does not carry it. */
let rasteriser: Promise<typeof Rasteriser> | undefined

/**
 * An SVG as PNG, drawn in the process (resvg: no native build, no service) on libuv's thread pool,
 * so the event loop goes on answering while it draws.
 */
export async function svgToPng(svg: string): Promise<Buffer> {
  rasteriser ??= import('@resvg/resvg-js')
  const { renderAsync } = await rasteriser
  const image = await renderAsync(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'original' },
  })
  return image.asPng()
}

/** The report's charts as PNG files, named after the period. */
export async function reportCharts(report: Report, labelOf: LabelOf): Promise<ChartFile[]> {
  const stem = report.period.name.replace(/[^\w.-]+/g, '_')
  const files: ChartFile[] = []
  for (const { name, spec } of reportChartSpecs(report, labelOf))
    files.push({ filename: `${name}-${stem}.png`, bytes: await svgToPng(chartSvg(spec)) })
  return files
}
