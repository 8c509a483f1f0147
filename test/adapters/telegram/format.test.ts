import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toTelegramMessage } from '../../../adapters/telegram/format.js'

describe('toTelegramMessage', () => {
  it('sends plain text as it is, with no entities', () => {
    expect(toTelegramMessage('Your order #12 ships today. 1 < 2 & [x](y) \\ _ * ~')).toEqual({
      text: 'Your order #12 ships today. 1 < 2 & [x](y) \\ _ * ~',
      entities: [],
    })
  })

  it('turns the marks into entities whose offsets count UTF-16 units', () => {
    expect(toTelegramMessage('😀 *bold* _it_ ~no~ `npm ci`')).toEqual({
      text: '😀 bold it no npm ci',
      entities: [
        { type: 'bold', offset: 3, length: 4 },
        { type: 'italic', offset: 8, length: 2 },
        { type: 'strikethrough', offset: 11, length: 2 },
        { type: 'code', offset: 14, length: 6 },
      ],
    })
  })

  it('nests bold and italic, and keeps code blocks whole', () => {
    expect(toTelegramMessage('*a _b_*')).toEqual({
      text: 'a b',
      entities: [
        { type: 'bold', offset: 0, length: 3 },
        { type: 'italic', offset: 2, length: 1 },
      ],
    })
    expect(toTelegramMessage('```\nx = *y*\n```')).toEqual({
      text: 'x = *y*\n',
      entities: [{ type: 'pre', offset: 0, length: 8 }],
    })
  })

  it('leaves web addresses and words alone', () => {
    expect(toTelegramMessage('*see (https://x.com/_a_)* and snake_case_name, 2 * 3 * 4')).toEqual({
      text: 'see (https://x.com/_a_) and snake_case_name, 2 * 3 * 4',
      entities: [{ type: 'bold', offset: 0, length: 23 }],
    })
  })

  it('for any text: entities inside the text, never empty, never cutting an emoji in half', () => {
    const unit = fc.constantFrom(...[...'ab *_~`\n()😀é'], 'https://x.com/_', '```')
    fc.assert(
      fc.property(fc.string({ unit }), (input) => {
        const { text, entities } = toTelegramMessage(input)
        for (const e of entities) {
          expect(e.length).toBeGreaterThan(0)
          expect(e.offset).toBeGreaterThanOrEqual(0)
          expect(e.offset + e.length).toBeLessThanOrEqual(text.length)
          for (const at of [e.offset, e.offset + e.length]) {
            const code = text.charCodeAt(at)
            expect(code >= 0xdc00 && code <= 0xdfff).toBe(false)
          }
        }
        if (!/[*_~`]/.test(input)) expect({ text, entities }).toEqual({ text: input, entities: [] })
      }),
    )
  })
})
