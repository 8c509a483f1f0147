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
})
