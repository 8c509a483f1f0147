import type { Report, ReportRow } from './report.js'

/** The CSV's columns, in order, each with how a ticket fills it. Times are ISO (UTC); durations in minutes. */
const COLUMNS: readonly [string, (r: ReportRow) => string | number | null][] = [
  ['ticket', (r) => r.id],
  ['created_at', (r) => r.createdAt],
  ['channel', (r) => r.channel],
  ['type', (r) => r.type],
  ['priority', (r) => r.priority],
  ['status', (r) => r.status],
  ['assignee', (r) => r.assignee],
  ['first_response_at', (r) => r.firstResponseAt],
  ['first_response_min', (r) => minutes(r.firstResponseMs)],
  ['solved_at', (r) => r.solvedAt],
  ['resolution_min', (r) => minutes(r.resolutionMs)],
  ['sla_first_response', (r) => r.sla.first_response],
  ['sla_resolution', (r) => r.sla.resolution],
  ['reopens', (r) => r.reopens],
  ['tags', (r) => r.tags.join(' ')],
]

const minutes = (ms: number | null): number | null => (ms === null ? null : Math.round(ms / 6_000) / 10)

/**
 * One field: quoted when it holds a separator, a quote or a line break; a text that a spreadsheet
 * would run as a formula (`=`, `+`, `-`, `@`) is prefixed with `'`.
 */
function field(value: string | number | null): string {
  if (value === null) return ''
  if (typeof value === 'number') return String(value)
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** The period's tickets as CSV: a header, then one line per ticket created in the period. */
export function reportCsv(report: Pick<Report, 'rows'>): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')]
  for (const row of report.rows) lines.push(COLUMNS.map(([, value]) => field(value(row))).join(','))
  return `${lines.join('\r\n')}\r\n`
}
