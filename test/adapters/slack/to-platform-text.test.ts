import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapeText } from '../../../adapters/slack/text.js'
import { toPlatformText, unescapeSlack, type NameOf } from '../../../adapters/slack/to-platform-text.js'
import type { Flavour } from '../../../adapters/channel-module.js'

const names: Record<string, string> = { U0ALICE: 'Alice', U0ODD: 'Bo_b *the* ~first~' }
const nameOf: NameOf = (id) =>
  names[id] === undefined ? Promise.reject(new Error('user_not_found')) : Promise.resolve(names[id])

const FLAVOURS = ['whatsapp', 'telegram', 'markdown', 'plain'] as const

/** Slack text in, then what each flavour makes of it: [whatsapp, telegram, markdown (Discord), plain]. */
const TABLE: readonly (readonly [slack: string, out: readonly [string, string, string, string]])[] = [
  ['Hello there', ['Hello there', 'Hello there', 'Hello there', 'Hello there']],
  ['*bold*', ['*bold*', '*bold*', '**bold**', 'bold']],
  ['_italic_', ['_italic_', '_italic_', '_italic_', 'italic']],
  ['~gone~', ['~gone~', '~gone~', '~~gone~~', 'gone']],
  [
    '*bold _and italic_*',
    ['*bold _and italic_*', '*bold _and italic_*', '**bold _and italic_**', 'bold and italic'],
  ],
  ['use `npm ci`', ['use `npm ci`', 'use `npm ci`', 'use `npm ci`', 'use npm ci']],
  ['```a *b* c\nd```', ['```a *b* c\nd```', '```a *b* c\nd```', '```\na *b* c\nd\n```', 'a *b* c\nd']],
  ['2 * 3 * 4 = 24', ['2 * 3 * 4 = 24', '2 * 3 * 4 = 24', '2 \\* 3 \\* 4 = 24', '2 * 3 * 4 = 24']],
  ['snake_case_name', ['snake_case_name', 'snake_case_name', 'snake\\_case\\_name', 'snake_case_name']],
  [':memo: :+1: :tada:', ['📝 👍 🎉', '📝 👍 🎉', '📝 👍 🎉', '📝 👍 🎉']],
  [':wave::skin-tone-5: hi', ['👋🏾 hi', '👋🏾 hi', '👋🏾 hi', '👋🏾 hi']],
  [
    ':our_custom_emoji:',
    [':our_custom_emoji:', ':our_custom_emoji:', ':our\\_custom\\_emoji:', ':our_custom_emoji:'],
  ],
  ['Ask <@U0ALICE>', ['Ask Alice', 'Ask Alice', 'Ask Alice', 'Ask Alice']],
  ['Ask <@U0GONE|maria>', ['Ask maria', 'Ask maria', 'Ask maria', 'Ask maria']],
  [
    'Ask <@U0ODD>',
    [
      'Ask Bo_b *the* ~first~',
      'Ask Bo_b *the* ~first~',
      'Ask Bo\\_b \\*the\\* \\~first\\~',
      'Ask Bo_b *the* ~first~',
    ],
  ],
  ['in <#C0GEN|general>', ['in #general', 'in #general', 'in #general', 'in #general']],
  [
    '<!here> and <!subteam^S0B|@billing>',
    ['@here and @billing', '@here and @billing', '@here and @billing', '@here and @billing'],
  ],
  [
    '<!date^1392734382^{date_short}|Feb 18, 2014>',
    ['Feb 18, 2014', 'Feb 18, 2014', 'Feb 18, 2014', 'Feb 18, 2014'],
  ],
  [
    'See <https://acme.com/track?a=1&amp;b=2|tracking>',
    [
      'See tracking (https://acme.com/track?a=1&b=2)',
      'See tracking (https://acme.com/track?a=1&b=2)',
      'See tracking (https://acme.com/track?a=1&b=2)',
      'See tracking (https://acme.com/track?a=1&b=2)',
    ],
  ],
  [
    '<https://acme.com/help>',
    ['https://acme.com/help', 'https://acme.com/help', 'https://acme.com/help', 'https://acme.com/help'],
  ],
  ['<http://acme.com|acme.com>', ['acme.com', 'acme.com', 'acme.com', 'acme.com']],
  [
    '<mailto:help@acme.com|help@acme.com>',
    ['help@acme.com', 'help@acme.com', 'help@acme.com', 'help@acme.com'],
  ],
  [
    '*<https://x.com/_a_|the_link>*',
    [
      '*the_link (https://x.com/_a_)*',
      '*the_link (https://x.com/_a_)*',
      '**the\\_link (https://x.com/_a_)**',
      'the_link (https://x.com/_a_)',
    ],
  ],
  ['&gt; you wrote this', ['> you wrote this', '> you wrote this', '> you wrote this', '> you wrote this']],
  [
    '• one\n• two\n    ◦ nested',
    [
      '- one\n- two\n    - nested',
      '• one\n• two\n    ◦ nested',
      '- one\n- two\n    - nested',
      '• one\n• two\n    ◦ nested',
    ],
  ],
  [
    '1. first\n2. second',
    ['1. first\n2. second', '1. first\n2. second', '1. first\n2. second', '1. first\n2. second'],
  ],
  ['# 1 priority', ['# 1 priority', '# 1 priority', '\\# 1 priority', '# 1 priority']],
  ['1 &lt; 2 &amp;&amp; 3 &gt; 2', ['1 < 2 && 3 > 2', '1 < 2 && 3 > 2', '1 < 2 && 3 > 2', '1 < 2 && 3 > 2']],
  [
    '&amp;lt; stays literal',
    ['&lt; stays literal', '&lt; stays literal', '&lt; stays literal', '&lt; stays literal'],
  ],
  ['a | b \\ c', ['a | b \\ c', 'a | b \\ c', 'a \\| b \\\\ c', 'a | b \\ c']],
]

describe('toPlatformText', () => {
  for (const [i, flavour] of FLAVOURS.entries()) {
    it.each(TABLE.map(([slack, out]) => [slack, out[i] ?? ''] as const))(
      `${flavour}: %j → %j`,
      async (slack, want) => {
        expect(await toPlatformText(slack, flavour, nameOf)).toBe(want)
      },
    )
  }

  it('asks for each mentioned user once', async () => {
    const asked: string[] = []
    const counting: NameOf = (id) => {
      asked.push(id)
      return Promise.resolve('Alice')
    }
    await toPlatformText('<@U0ALICE> <@U0ALICE> `<@U0BOB>`', 'plain', counting)
    expect(asked.sort()).toEqual(['U0ALICE', 'U0BOB'])
  })
})

/**
 * Text an agent types, as Slack sends it: `>` and `&` escaped, plus Slack's markup. No `<`: a typed
 * `<@U1>` is the agent's own text, which the customer may well read.
 */
const typed = fc.string({ unit: fc.constantFrom(...[...'ab >&;ltgmp|@#!:*_~`\n•é😀']) })
const markup = fc.constantFrom(
  '<@U0ALICE>',
  '<@U0GONE|maria>',
  '<@W0ODD>',
  '<#C0GEN|general>',
  '<#C0GEN>',
  '<!here>',
  '<!channel|channel>',
  '<!subteam^S0B|@billing>',
  '<https://acme.com/a_b|the *label*>',
  '<https://acme.com>',
  '<http://acme.com|acme.com>',
  '<mailto:help@acme.com|mail us>',
)
const slackText = fc
  .array(fc.oneof(typed.map(escapeText), markup), { maxLength: 8 })
  .map((pieces) => pieces.join(''))
const flavour = fc.constantFrom<Flavour>(...FLAVOURS)
const anyName: NameOf = (id) => Promise.resolve(id === 'U0ALICE' ? 'Alice' : '')

describe('toPlatformText properties', () => {
  it("never lets Slack's mention or link markup through", async () => {
    await fc.assert(
      fc.asyncProperty(slackText, flavour, async (text, f) => {
        const out = await toPlatformText(text, f, anyName)
        expect(out).not.toMatch(/<[@#!]|<https?:|<mailto:/)
      }),
    )
  })

  it('unescapes exactly once, as the last step', async () => {
    // No emphasis, code, emoji, quote or list signs: what is left must come back as it was typed.
    const plain = fc
      .string({ unit: fc.constantFrom(...[...'ab <>&;ltgmp#|\\ \né😀']) })
      .map((s) => s.replace(/(^|\n)>/g, '$1x'))
    await fc.assert(
      fc.asyncProperty(plain, async (text) => {
        expect(await toPlatformText(escapeText(text), 'plain', anyName)).toBe(text)
        expect(await toPlatformText(escapeText(text), 'whatsapp', anyName)).toBe(text)
        const discord = await toPlatformText(escapeText(text), 'markdown', anyName)
        expect(discord.replace(/\\(.)/gs, '$1')).toBe(text)
      }),
    )
  })

  it('reads any text at all without failing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }), flavour, async (text, f) => {
        expect(typeof (await toPlatformText(text, f, anyName))).toBe('string')
      }),
    )
  })

  it('unescapeSlack decodes one level only', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(unescapeSlack(escapeText(text))).toBe(text)
      }),
    )
  })
})
