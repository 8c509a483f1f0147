/** Grapheme clusters: what a reader sees as one character (👨‍👩‍👧, 🇩🇪, e with its accents). */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** A place a text may be cut: an offset between two graphemes, and what ends just before it. */
interface Boundary {
  readonly at: number
  readonly after: 'newline' | 'space' | 'other'
}

/**
 * Splits text into pieces of at most `limit` UTF-16 units that a platform accepts, cutting after a
 * line break, else after a space, else between two graphemes; nothing is dropped and what a reader
 * sees as one character (a family emoji, a flag, a letter with accents) is never cut in two. Only a
 * single grapheme longer than `limit` (or than 8,192 units) is cut, and then between code points, so
 * no surrogate pair is ever halved.
 */
export function splitText(text: string, limit: number): string[] {
  if (text.length <= limit) return [text]
  if (!(limit >= 2)) throw new RangeError(`a text limit must be at least 2 UTF-16 units, not ${limit}`)
  const bounds = boundaries(text)
  const parts: string[] = []
  let start = 0
  let next = 1 // the first boundary after `start`
  while (text.length - start > limit) {
    const max = start + limit
    let any = -1
    let newline = -1
    let space = -1
    for (let j = next; j < bounds.length && (bounds[j]?.at ?? Infinity) <= max; j++) {
      any = j
      if (bounds[j]?.after === 'newline') newline = j
      else if (bounds[j]?.after === 'space') space = j
    }
    // A break in the first half of the window would leave a short part: cut between graphemes instead.
    const late = (j: number) => j >= 0 && (bounds[j]?.at ?? 0) - start > limit / 2
    const pick = late(newline) ? newline : late(space) ? space : any
    if (pick < 0) {
      start = cutInsideGrapheme(text, parts, start, max)
      continue
    }
    const at = bounds[pick]?.at ?? max
    parts.push(text.slice(start, at))
    start = at
    next = pick + 1
  }
  parts.push(text.slice(start))
  return parts
}

/**
 * The segmenter takes longer per grapheme the longer its text (half a second for 40,000 letters,
 * minutes for a few hundred thousand): a text is segmented a slice of about this many units at a time.
 */
const SLICE = 512
/** A grapheme longer than this (thousands of stacked accents) is taken as pieces of about this size. */
const LONGEST_GRAPHEME = 16 * SLICE

/**
 * Every place the text may be cut. Each slice starts where two graphemes meet; its last grapheme may
 * go on past its end, so it is segmented again at the start of the next slice. Whether two graphemes
 * meet depends only on what comes before and the character after, so the slices find the places the
 * whole text has.
 */
function boundaries(text: string): Boundary[] {
  const bounds: Boundary[] = [{ at: 0, after: 'other' }]
  let size = SLICE
  for (let from = 0; from < text.length;) {
    const end = Math.min(text.length, from + size)
    const segments = [...graphemes.segment(text.slice(from, end))]
    const whole = end === text.length ? segments : segments.slice(0, -1)
    const last = whole.at(-1)
    if (last === undefined && size < LONGEST_GRAPHEME) {
      size *= 2 // one grapheme longer than the slice
      continue
    }
    if (last === undefined) {
      // Cut between code points, as a limit shorter than the grapheme would cut it.
      const at = isHighSurrogate(text.charCodeAt(end - 1)) ? end - 1 : end
      bounds.push({ at, after: 'other' })
      from = at
      continue
    }
    for (const { segment, index } of whole) {
      const after = segment.endsWith('\n') ? 'newline' : segment === ' ' ? 'space' : 'other'
      bounds.push({ at: from + index + segment.length, after })
    }
    from += last.index + last.segment.length
    size = SLICE
  }
  return bounds
}

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff

/** One grapheme is longer than the limit: push its first `max - start` units, never half a pair. */
function cutInsideGrapheme(text: string, parts: string[], start: number, max: number): number {
  const at = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max
  parts.push(text.slice(start, at))
  return at
}
