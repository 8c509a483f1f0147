import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapedPieces } from '../../../adapters/slack/blocks.js'
import { escapeText, fromSlackText } from '../../../adapters/slack/text.js'

describe('outside text cut for Slack sections', () => {
  it('cuts into pieces that fit once escaped, never inside an escape, and loses nothing', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc
        .array(fc.constantFrom('&', '<', '>', 'a', ' ', '\n', '👨‍👩‍👧'), { maxLength: 400 })
        .map((parts) => parts.join('')),
    )
    fc.assert(
      fc.property(text, fc.integer({ min: 10, max: 120 }), (raw, max) => {
        const pieces = escapedPieces(raw, max)
        expect(pieces.join('')).toBe(escapeText(raw))
        for (const piece of pieces) {
          expect(piece.length).toBeLessThanOrEqual(max)
          // A piece is escaped text on its own: reading it back gives outside text with no half escape.
          expect(escapeText(fromSlackText(piece))).toBe(piece)
        }
      }),
    )
  })
})
