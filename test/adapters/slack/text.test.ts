import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapeText, fromSlackText, parseMention, parseTicketNumber } from '../../../adapters/slack/text.js'

describe('Slack text', () => {
  it('escapes only &, < and >', () => {
    expect(escapeText('a < b > c & <!here> *bold*')).toBe('a &lt; b &gt; c &amp; &lt;!here&gt; *bold*')
  })

  it("turns an agent's Slack markup into plain text for a customer", () => {
    expect(fromSlackText('Go to <https://acme.com/help|our help page>')).toBe(
      'Go to our help page (https://acme.com/help)',
    )
    expect(fromSlackText('<https://acme.com>')).toBe('https://acme.com')
    expect(fromSlackText('<https://acme.com|https://acme.com>')).toBe('https://acme.com')
    expect(fromSlackText('mail <mailto:help@acme.com|help@acme.com>')).toBe('mail help@acme.com')
    expect(fromSlackText('ask <@U123|maria> in <#C1|billing>')).toBe('ask @maria in #billing')
    expect(fromSlackText('<!here> 1 &lt; 2 &amp;&amp; 3 &gt; 2')).toBe('@here 1 < 2 && 3 > 2')
    expect(fromSlackText('&amp;lt; stays literal')).toBe('&lt; stays literal')
  })

  it('reads mentions and ticket numbers, and nothing else', () => {
    expect(parseMention('<@U0ABC>')).toBe('U0ABC')
    expect(parseMention('<@W0ABC|maria>')).toBe('W0ABC')
    expect(parseMention('@maria')).toBeUndefined()
    expect(parseTicketNumber('42')).toBe(42)
    expect(parseTicketNumber('#42')).toBe(42)
    expect(parseTicketNumber('42a')).toBeUndefined()
    expect(parseTicketNumber(undefined)).toBeUndefined()
  })
})

/** Text built to look like Slack's own markup and escapes, besides any string at all. */
const tricky = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc
    .array(
      fc.constantFrom(
        '<',
        '>',
        '&',
        '&lt;',
        '&gt;',
        '&amp;',
        '&amp;lt;',
        '<!here>',
        '<@U1|ann>',
        '|',
        ' ',
        'a',
        '😀',
      ),
      { maxLength: 12 },
    )
    .map((pieces) => pieces.join('')),
)

describe('Slack text properties', () => {
  it('shows any customer text without markup, and gives it back unchanged', () => {
    fc.assert(
      fc.property(tricky, (text) => {
        const shown = escapeText(text)
        expect(shown).not.toMatch(/[<>]/)
        expect(fromSlackText(shown)).toBe(text)
      }),
    )
  })
})
