/**
 * Charts drawn as SVG by hand: bars stacked per day, or lines, with a title, the period, a y axis
 * with its unit, day labels and a legend. Sized and lettered to read at Slack's preview size
 * (about half the width it is drawn at).
 */

export const CHART_WIDTH = 1200
export const CHART_HEIGHT = 675

/** One named row of values, one per x label; null where there is nothing to show. */
export interface Series {
  readonly name: string
  readonly values: readonly (number | null)[]
}

export interface ChartSpec {
  readonly title: string
  /** Under the title: the period and what is measured. */
  readonly subtitle: string
  /** The y axis' label, its unit included. */
  readonly yLabel: string
  readonly xLabels: readonly string[]
  /** Under the day labels: what they are. */
  readonly xLabel: string
  readonly series: readonly Series[]
  readonly kind: 'stacked' | 'lines'
  /** Said in the plot when no value is above zero. */
  readonly empty: string
}

/** Okabe–Ito: told apart by colour-blind readers too. */
const COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000']
export const colorOf = (i: number): string => COLORS[i % COLORS.length] ?? '#000000'

const FONT = 'DejaVu Sans, Arial, sans-serif'
const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** A round top for the y axis, and its step: 1, 2 or 5 times a power of ten, 4–5 steps. */
export function niceScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 4, step: 1 }
  const raw = max / 5
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power
  // Counts are whole: their axis never steps by a fraction.
  const whole = Number.isInteger(max) ? Math.max(1, step) : step
  return { top: Math.ceil(max / whole) * whole, step: whole }
}

const number = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1))

export function chartSvg(spec: ChartSpec): string {
  const left = 110
  const right = CHART_WIDTH - 40
  const top = 150
  const bottom = CHART_HEIGHT - 90
  const days = spec.xLabels.length
  const totals = spec.xLabels.map((_, i) =>
    spec.kind === 'stacked'
      ? spec.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)
      : Math.max(0, ...spec.series.map((s) => s.values[i] ?? 0)),
  )
  const { top: yTop, step } = niceScale(Math.max(0, ...totals))
  const slot = (right - left) / Math.max(1, days)
  const x = (i: number) => left + slot * (i + 0.5)
  const y = (v: number) => bottom - ((bottom - top) * v) / yTop

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${left - 70}" y="52" font-size="36" font-weight="bold" fill="#1d3557">${escapeXml(spec.title)}</text>`,
    `<text x="${left - 70}" y="94" font-size="24" fill="#444444">${escapeXml(spec.subtitle)}</text>`,
  ]
  // The y axis: grid lines and values, and its label turned along it.
  for (let v = 0; v <= yTop + 1e-9; v += step) {
    parts.push(
      `<line x1="${left}" x2="${right}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 0 ? '#333333' : '#dddddd'}" stroke-width="${v === 0 ? 2 : 1}"/>`,
      `<text x="${left - 12}" y="${y(v) + 8}" font-size="22" text-anchor="end" fill="#333333">${number(v)}</text>`,
    )
  }
  parts.push(
    `<text transform="translate(30 ${(top + bottom) / 2}) rotate(-90)" font-size="22" text-anchor="middle" fill="#333333">${escapeXml(spec.yLabel)}</text>`,
  )
  // Day labels: at most about twelve, evenly spread.
  const every = Math.max(1, Math.ceil(days / 12))
  spec.xLabels.forEach((label, i) => {
    if (i % every !== 0) return
    parts.push(
      `<text x="${x(i)}" y="${bottom + 34}" font-size="21" text-anchor="middle" fill="#333333">${escapeXml(label)}</text>`,
    )
  })

  parts.push(
    `<text x="${(left + right) / 2}" y="${bottom + 74}" font-size="22" text-anchor="middle" fill="#333333">${escapeXml(spec.xLabel)}</text>`,
  )

  if (spec.kind === 'stacked') {
    const width = Math.max(2, slot * 0.7)
    spec.xLabels.forEach((_, i) => {
      let base = 0
      spec.series.forEach((s, k) => {
        const v = s.values[i] ?? 0
        if (v <= 0) return
        parts.push(
          `<rect x="${x(i) - width / 2}" y="${y(base + v)}" width="${width}" height="${y(base) - y(base + v)}" fill="${colorOf(k)}"/>`,
        )
        base += v
      })
    })
  } else {
    spec.series.forEach((s, k) => {
      const points = s.values.flatMap((v, i) => (v === null ? [] : [`${x(i)},${y(v)}`]))
      if (points.length > 1)
        parts.push(
          `<polyline points="${points.join(' ')}" fill="none" stroke="${colorOf(k)}" stroke-width="5" stroke-linejoin="round"/>`,
        )
      for (const p of points) {
        const [px, py] = p.split(',')
        parts.push(`<circle cx="${px}" cy="${py}" r="7" fill="${colorOf(k)}"/>`)
      }
    })
  }
  if (Math.max(0, ...totals) === 0)
    parts.push(
      `<text x="${(left + right) / 2}" y="${(top + bottom) / 2}" font-size="28" text-anchor="middle" fill="#777777">${escapeXml(spec.empty)}</text>`,
    )

  // The legend, along the top right, above the plot.
  let lx = right
  for (let k = spec.series.length - 1; k >= 0; k--) {
    const name = spec.series[k]?.name ?? ''
    const w = 40 + name.length * 13
    lx -= w
    parts.push(
      `<rect x="${lx}" y="${top - 40}" width="24" height="24" fill="${colorOf(k)}"/>`,
      `<text x="${lx + 32}" y="${top - 20}" font-size="22" fill="#333333">${escapeXml(name)}</text>`,
    )
  }
  parts.push('</svg>')
  return parts.join('\n')
}
