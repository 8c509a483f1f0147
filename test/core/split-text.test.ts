import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { splitText } from '../../src/core/split-text.js'

describe('long replies', () => {
  it('are split under the limit at line breaks or spaces, losing nothing', () => {
    const text = Array.from({ length: 60 }, (_, i) => `line ${i} ${'x'.repeat(i % 7)}`).join('\n')
    const parts = splitText(text, 100)
    expect(parts.every((p) => p.length <= 100)).toBe(true)
    expect(parts.join('')).toBe(text)
    expect(parts.slice(0, -1).every((p) => p.endsWith('\n'))).toBe(true)
    expect(splitText('y'.repeat(250), 100).map((p) => p.length)).toEqual([100, 100, 50])
  })

  it('never cuts an emoji in half', () => {
    const text = '😀'.repeat(120) // 240 UTF-16 units, no space to cut at
    const parts = splitText(text, 101)
    expect(parts.join('')).toBe(text)
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(101)
      expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/) // no lone surrogate
    }
  })

  it('keeps a family, a flag and an accented letter whole', () => {
    const family = '👨‍👩‍👧' // 8 UTF-16 units
    const parts = splitText(`ab${family}${family}`, 9)
    expect(parts).toEqual([`ab`, family, family])
    expect(splitText('🇩🇪🇩🇪🇩🇪', 5)).toEqual(['🇩🇪', '🇩🇪', '🇩🇪'])
    expect(splitText('xe\u0301\u0302y', 3)).toEqual(['x', 'e\u0301\u0302', 'y'])
  })
})

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
const graphemesOf = (text: string) => [...segmenter.segment(text)].map((s) => s.segment)

/** Text a customer might get: words, line breaks, and characters made of several code points. */
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...'abcxyz'), minLength: 1, maxLength: 9 }) },
  { weight: 2, arbitrary: fc.constantFrom(' ', '\n', '\r\n', '  ') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '👨‍👩‍👧',
      '🇩🇪',
      '🇯🇵',
      'e\u0301',
      'a\u0308\u0304',
      '😀',
      '👍🏽',
      'ก\u0e33',
      ' \u0301',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
)
const text = fc.array(piece, { maxLength: 60 }).map((pieces) => pieces.join(''))
/** Wider than the widest grapheme used above, so every cut can fall between graphemes. */
const limit = fc.integer({ min: 12, max: 80 })

describe('splitText properties', () => {
  it('gives back the text, in parts within the limit, cut only between graphemes', () => {
    fc.assert(
      fc.property(text, limit, (input, max) => {
        const parts = splitText(input, max)
        expect(parts.join('')).toBe(input)
        for (const part of parts) expect(part.length).toBeLessThanOrEqual(max)
        // Every part is made of whole graphemes of the input: together they are the input's graphemes.
        expect(parts.flatMap(graphemesOf)).toEqual(graphemesOf(input))
        if (input.length > 0) expect(parts.every((p) => p.length > 0)).toBe(true)
      }),
    )
  })

  it('prefers to cut after a line break, then after a space, else fills the part', () => {
    fc.assert(
      fc.property(text, limit, (input, max) => {
        const parts = splitText(input, max)
        let start = 0
        for (const [i, part] of parts.slice(0, -1).entries()) {
          // Where the part could have ended: after each whole grapheme of the window, past half of it.
          const ends: { at: number; grapheme: string }[] = []
          let at = 0
          for (const grapheme of graphemesOf(input.slice(start))) {
            at += grapheme.length
            if (at > max) break
            if (at > max / 2) ends.push({ at, grapheme })
          }
          const newline = ends.filter((e) => e.grapheme.endsWith('\n')).at(-1)
          const space = ends.filter((e) => e.grapheme === ' ').at(-1)
          if (newline !== undefined) expect(part.length).toBe(newline.at)
          else if (space !== undefined) expect(part.length).toBe(space.at)
          else expect(part.length + (graphemesOf(parts[i + 1] ?? '')[0]?.length ?? 0)).toBeGreaterThan(max)
          start += part.length
        }
      }),
    )
  })

  it('cuts a long text, read a slice at a time, where the whole text has its graphemes meet', () => {
    // Thousands of units: the text is segmented in slices, whose edges must not show in the cuts.
    const long = fc.array(piece, { minLength: 300, maxLength: 900 }).map((pieces) => pieces.join(''))
    const zalgo = `a${'\u0301'.repeat(1_500)}`
    fc.assert(
      fc.property(long, fc.boolean(), fc.integer({ min: 40, max: 700 }), (input, stacked, max) => {
        const text = stacked ? `${input}${zalgo}${input}` : input
        const parts = splitText(text, Math.max(max, zalgo.length))
        expect(parts.join('')).toBe(text)
        expect(parts.flatMap(graphemesOf)).toEqual(graphemesOf(text))
      }),
      { numRuns: 40 },
    )
  })

  it('cuts a grapheme of thousands of stacked accents between code points, whatever the limit', () => {
    const zalgo = `x a${'\u0301\u{1D167}'.repeat(10_000)} y`
    for (const max of [100, 4_096, 40_000]) {
      const parts = splitText(zalgo, max)
      expect(parts.join('')).toBe(zalgo)
      for (const part of parts) {
        expect(part.length).toBeLessThanOrEqual(max)
        expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/)
      }
    }
  })

  it('cuts a lone grapheme longer than the limit between code points only', () => {
    // Accents stacked on a letter, some of them outside the BMP (U+1D167), and a ZWJ family of four.
    const long = fc.constantFrom(`a${'\u0301\u{1D167}'.repeat(8)}`, '👨‍👩‍👧‍👦', 'x', ' ')
    const input = fc.array(long, { maxLength: 8 }).map((list) => list.join(''))
    fc.assert(
      fc.property(input, fc.integer({ min: 2, max: 20 }), (zalgo, max) => {
        const parts = splitText(zalgo, max)
        expect(parts.join('')).toBe(zalgo)
        for (const part of parts) {
          expect(part.length).toBeLessThanOrEqual(max)
          expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/)
        }
      }),
    )
  })
})
