/** What the bench prints: one JSON line per measure, then a table of them all. */

/** A target is met when the value (or the ratio to the ceiling) is on the right side of a bound. */
export interface Target {
  readonly of: 'value' | 'ratio'
  readonly op: '<=' | '>='
  readonly bound: number
}

export interface Row {
  /** A short stable id (`p1.ingest.rate`), for reading the JSON lines with a script. */
  readonly id: string
  /** What is measured, as the table shows it. */
  readonly measure: string
  readonly unit: string
  /** threaddesk's figure; null when it could not be measured (see `note`). */
  readonly threaddesk: number | null
  /** The same figure for the bare ceiling in the same run, when there is one. */
  readonly ceiling: number | null
  readonly target: Target | null
  /** Anything else worth keeping: counts, percentiles, sizes. */
  readonly detail?: Readonly<Record<string, unknown>>
  /** Why a figure is missing or what it is not. */
  readonly note?: string
}

/** threaddesk ÷ ceiling: above 1 is more of whatever the unit counts. */
export function ratioOf(row: Row): number | null {
  if (row.threaddesk === null || row.ceiling === null || row.ceiling === 0) return null
  return row.threaddesk / row.ceiling
}

export function metOf(row: Row): boolean | null {
  if (row.target === null) return null
  const value = row.target.of === 'ratio' ? ratioOf(row) : row.threaddesk
  if (value === null) return null
  return row.target.op === '<=' ? value <= row.target.bound : value >= row.target.bound
}

export function targetText(target: Target | null, unit: string): string {
  if (target === null) return '—'
  const op = target.op === '<=' ? '≤' : '≥'
  return target.of === 'ratio' ? `${op} ${target.bound}×` : `${op} ${formatNumber(target.bound)} ${unit}`
}

/** The JSON line of one measure: everything in the row, with its ratio and verdict worked out. */
export function jsonLine(row: Row): string {
  return JSON.stringify({
    id: row.id,
    measure: row.measure,
    unit: row.unit,
    threaddesk: round(row.threaddesk),
    ceiling: round(row.ceiling),
    ratio: round(ratioOf(row)),
    target: row.target === null ? null : targetText(row.target, row.unit),
    met: metOf(row),
    ...(row.note !== undefined && { note: row.note }),
    ...(row.detail !== undefined && { detail: row.detail }),
  })
}

const COLUMNS = ['measure', 'threaddesk', 'ceiling', 'ratio', 'target', 'met?'] as const

/** The readable table: one line per measure, notes below it. */
export function table(rows: readonly Row[]): string {
  const cells = rows.map((row) => {
    const ratio = ratioOf(row)
    const met = metOf(row)
    return [
      row.measure,
      row.threaddesk === null ? 'n/a' : `${formatNumber(row.threaddesk)} ${row.unit}`,
      row.ceiling === null ? '—' : `${formatNumber(row.ceiling)} ${row.unit}`,
      ratio === null ? '—' : `${formatNumber(ratio)}×`,
      targetText(row.target, row.unit),
      met === null ? '—' : met ? 'yes' : 'no',
    ]
  })
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length)))
  const line = (r: readonly string[]) =>
    `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`
  const notes = rows.flatMap((r) => (r.note === undefined ? [] : [`- ${r.measure}: ${r.note}`]))
  return [
    line(COLUMNS),
    `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`,
    ...cells.map(line),
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n')
}

/** Three significant figures at most, thousands grouped: 10,600, 97.3, 0.07. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  const abs = Math.abs(n)
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : abs >= 0.1 ? 2 : 3
  return n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 })
}

function round(n: number | null): number | null {
  if (n === null) return null
  return Number(n.toPrecision(4))
}

/** The q-quantile (0..1) of some samples, by nearest rank; 0 for none. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return 0
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank] ?? 0
}

export function mean(samples: readonly number[]): number {
  return samples.length === 0 ? 0 : samples.reduce((a, b) => a + b, 0) / samples.length
}
