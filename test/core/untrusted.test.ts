import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapeText } from '../../adapters/slack/text.js'
import { redactSecrets } from '../../src/core/untrusted.js'
import { testLog } from '../helpers/log.js'

/** What Slack would turn into a mention, a link or a special command in mrkdwn. */
const live = /<[@#!]|<https?:|<mailto:|<[^>]*\|/

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')

describe('text from outside, shown in Slack', () => {
  it('renders literally and pings no one, whatever it holds', () => {
    const hostile = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '<!channel>',
        '<!here>',
        '<@U123>',
        '<https://evil.example|Slack session expired>',
        '&lt;!channel&gt;',
      ),
    )
    fc.assert(
      fc.property(
        fc.array(hostile).map((parts) => parts.join(' ')),
        (text) => {
          const shown = escapeText(text)
          expect(shown).not.toMatch(live)
          expect(shown).not.toMatch(/[<>]/)
          expect(unescape(escapeText(text))).toBe(text)
        },
      ),
    )
  })

  it('keeps a phishing customer name from becoming a live @channel and link', () => {
    const name = '<!channel> <https://evil.example|Slack session expired>'
    expect(escapeText(name)).toBe('&lt;!channel&gt; &lt;https://evil.example|Slack session expired&gt;')
  })

  it('redacts credentials and secrets, and leaves other text alone', () => {
    expect(redactSecrets('fetch failed for https://crm:hunter2@api.example/lookup')).toBe(
      'fetch failed for https://[redacted]@api.example/lookup',
    )
    expect(redactSecrets('GET /lookup?id=7&token=abc123&x=1')).toBe('GET /lookup?id=7&token=[redacted]&x=1')
    expect(redactSecrets('invalid xoxb-1234-5678-abcdef token')).toBe('invalid [redacted] token')
    expect(redactSecrets('the service answered 500')).toBe('the service answered 500')
    fc.assert(
      fc.property(
        fc.string(),
        fc.string({ minLength: 4 }).filter((p) => /^[A-Za-z0-9]+$/.test(p)),
        (host, pass) => {
          expect(
            redactSecrets(`https://user:${pass}@h${host.replace(/[\s/@:]/g, '')}.example/x`),
          ).not.toContain(`:${pass}@`)
        },
      ),
    )
  })
})

describe('the logger', () => {
  it('hides secrets in the errors it writes', () => {
    const log = testLog()
    log.warn({ err: new Error('fetch https://crm:hunter2@api.example/x?token=abc failed') }, 'lookup failed')
    const line = JSON.stringify(log.lines())
    expect(line).toContain('lookup failed')
    expect(line).not.toContain('hunter2')
    expect(line).not.toContain('token=abc')
  })
})
