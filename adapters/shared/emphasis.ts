/**
 * Emphasis as Slack and WhatsApp write it: `*bold*`, `_italic_`, `~strike~`. One parser for both
 * sides, so what an agent bolds in Slack is bold for the customer, and text that Slack shows as
 * written (`2 * 3 * 4`, `snake_case_name`) stays as written on every platform.
 *
 * A delimiter opens at the start of a line or after a space or sign (not after a letter or digit),
 * before a character that is not a space; it closes before the end, a space or a sign, after a
 * character that is not a space; the span stays on one line. Pure.
 */

export type Style = 'bold' | 'italic' | 'strike'

/** One character of parseable text, or something the parser must not look into (a link, a code span). */
export type Unit<A> = string | { readonly atom: A }

export type Inline<A> =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'atom'; readonly atom: A }
  | { readonly kind: 'style'; readonly style: Style; readonly children: readonly Inline<A>[] }

const DELIMITER: Readonly<Record<string, Style>> = { '*': 'bold', _: 'italic', '~': 'strike' }

const isWordChar = (ch: string) => /[\p{L}\p{N}]/u.test(ch)
const isSpace = (ch: string) => /\s/u.test(ch)

/** Splits text into units, one per code point (an emoji's surrogate pair stays whole). */
export function unitsOf<A>(text: string): Unit<A>[] {
  return [...text]
}

/** Parses units into text, atoms and styled spans. */
export function parseEmphasis<A>(units: readonly Unit<A>[]): Inline<A>[] {
  return parseRange(indexOf(units), 0, units.length)
}

/** The units, with where each delimiter can close and where each line ends, found once. */
interface Indexed<A> {
  readonly units: readonly Unit<A>[]
  /** Per delimiter, the positions where it can close a span, in order. */
  readonly closers: ReadonlyMap<string, readonly number[]>
  /** Per position, the position of the line break that ends its line (or the length). */
  readonly lineEnd: readonly number[]
}

function indexOf<A>(units: readonly Unit<A>[]): Indexed<A> {
  const closers = new Map<string, number[]>(Object.keys(DELIMITER).map((d) => [d, []]))
  const lineEnd: number[] = new Array<number>(units.length)
  let end = units.length
  for (let k = units.length - 1; k >= 0; k--) {
    const u = units[k]
    if (u === '\n') end = k
    lineEnd[k] = end
  }
  units.forEach((u, k) => {
    if (typeof u === 'string' && DELIMITER[u] !== undefined && canClose(units, k)) closers.get(u)?.push(k)
  })
  return { units, closers, lineEnd }
}

function canOpen<A>(units: readonly Unit<A>[], i: number): boolean {
  const d = units[i]
  const before = units[i - 1]
  const after = units[i + 1]
  if (after === undefined || after === d) return false
  if (typeof after === 'string' && isSpace(after)) return false
  return before === undefined || typeof before !== 'string' || (before !== d && !isWordChar(before))
}

function canClose<A>(units: readonly Unit<A>[], i: number): boolean {
  const d = units[i]
  const before = units[i - 1]
  const after = units[i + 1]
  if (before === undefined || before === d) return false
  if (typeof before === 'string' && isSpace(before)) return false
  return after === undefined || typeof after !== 'string' || (after !== d && !isWordChar(after))
}

/** The closing delimiter of the span opened at `i`, on the same line and before `end`. */
function closerOf<A>(index: Indexed<A>, i: number, end: number): number | undefined {
  const positions = index.closers.get(index.units[i] as string) ?? []
  // The first position after i + 1 (a span holds at least one unit), by binary search.
  let lo = 0
  let hi = positions.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((positions[mid] ?? 0) < i + 2) lo = mid + 1
    else hi = mid
  }
  const k = positions[lo]
  return k !== undefined && k < end && k < (index.lineEnd[i] ?? end) ? k : undefined
}

function parseRange<A>(index: Indexed<A>, start: number, end: number): Inline<A>[] {
  const { units } = index
  const out: Inline<A>[] = []
  let text = ''
  const flush = () => {
    if (text !== '') out.push({ kind: 'text', text })
    text = ''
  }
  for (let i = start; i < end; i++) {
    const u = units[i]
    if (u === undefined) continue
    if (typeof u !== 'string') {
      flush()
      out.push({ kind: 'atom', atom: u.atom })
      continue
    }
    const style = DELIMITER[u]
    const close = style !== undefined && canOpen(units, i) ? closerOf(index, i, end) : undefined
    if (style === undefined || close === undefined) {
      text += u
      continue
    }
    flush()
    out.push({ kind: 'style', style, children: parseRange(index, i + 1, close) })
    i = close
  }
  flush()
  return out
}
