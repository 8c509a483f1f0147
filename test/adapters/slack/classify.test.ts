import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classifyThreadMessage, noteBody, type Verdict } from '../../../adapters/slack/classify.js'
import { DEFAULT_NOTE_MARKERS } from '../../../adapters/slack/settings.js'

const markers = [...DEFAULT_NOTE_MARKERS]
const send = { markers, mode: 'send' } as const
const internal = { markers, mode: 'internal' } as const

/** What agents type in a ticket's thread (as Slack sends it: `>` arrives as `&gt;`), and what it is. */
const CASES: readonly (readonly [input: string, verdict: Verdict, stored?: string])[] = [
  // The leaks of issue #10: each of these once reached a customer.
  ['*note:* customer is a VIP', 'note', 'customer is a VIP'],
  ['_note:_ customer is a VIP', 'note', 'customer is a VIP'],
  ['&gt; note: customer is a VIP', 'note', 'customer is a VIP'],
  ['• note: customer is a VIP', 'note', 'customer is a VIP'],
  [':memo: note: customer is a VIP', 'note', 'customer is a VIP'],
  ['note : customer is a VIP', 'note', 'customer is a VIP'],
  ['note：customer is a VIP', 'note', 'customer is a VIP'],
  ['notes: customer is a VIP', 'note', 'customer is a VIP'],
  ['Note - refund approved by finance', 'note', 'refund approved by finance'],
  ['<@U0ALICE> can you check this?', 'internal', '<@U0ALICE> can you check this?'],
  // Notes in other shapes.
  ['note: customer is a VIP', 'note', 'customer is a VIP'],
  ['NOTE:customer is a VIP', 'note', 'customer is a VIP'],
  ['~note:~ old address', 'note', 'old address'],
  ['`note:` see the logs', 'note', 'see the logs'],
  ['*Note*: refund is manual', 'note', 'refund is manual'],
  ['*Note* refund is manual', 'note', 'refund is manual'],
  ['*note: the whole note in bold*', 'note', 'the whole note in bold'],
  ['&gt; *note:* quoted and bold', 'note', 'quoted and bold'],
  ['&gt;&gt;&gt; note: an old-style quote', 'note', 'an old-style quote'],
  ['[internal] ask billing first', 'note', 'ask billing first'],
  ['(private) do not share the address', 'note', 'do not share the address'],
  ['"Note:" the customer is angry', 'note', 'the customer is angry'],
  ['Private note: the customer is angry', 'note', 'the customer is angry'],
  ['Internal-only: the customer is angry', 'note', 'the customer is angry'],
  ['Note to self: call back at 3', 'note', 'call back at 3'],
  ['INTERNAL\nthe customer is angry', 'note', 'the customer is angry'],
  ['📝 note: from the call', 'note', 'from the call'],
  ['🔒 Private: card ends 4242', 'note', 'card ends 4242'],
  [':lock: :memo: internal - escalated', 'note', 'escalated'],
  ['1. note: first check the logs', 'note', 'first check the logs'],
  ['- note: from the call', 'note', 'from the call'],
  ['note — from the call', 'note', 'from the call'],
  ['ＮＯＴＥ： full-width', 'note', 'full-width'],
  ['\u200bnote: after a zero-width space', 'note', 'after a zero-width space'],
  [':notes: the marker as an emoji name', 'note', 'the marker as an emoji name'],
  ['note', 'note', ''],
  // Internal chat: it starts with a mention.
  ['<@W0BOB|bob> did the refund go through?', 'internal'],
  ['<!subteam^S0BILLING|@billing> please look', 'internal'],
  ['<#C0ESCALATE|escalations> has the details', 'internal'],
  ['<!here> who knows this customer?', 'internal'],
  ['<!channel> outage!', 'internal'],
  ['<!everyone> outage!', 'internal'],
  [':eyes: <@U0ALICE> look at this one', 'internal'],
  ['&gt; <@U0ALICE> quoted question', 'internal'],
  ['*<@U0ALICE>* bold ping', 'internal'],
  ['<@U0ALICE> note: the mention comes first', 'internal'],
  // Commands.
  ['!resolve', 'command', '!resolve'],
  ['  !assign <@U0ALICE>', 'command', '!assign <@U0ALICE>'],
  ['!reply note: refused later by !reply itself', 'command'],
  // Replies that must still reach the customer.
  ['Notes about your order are attached', 'reply', 'Notes about your order are attached'],
  ['Note that your order ships on Monday', 'reply'],
  ['Noted, thanks!', 'reply'],
  ['Notebook: the charger is in the box', 'reply'],
  ['Note-worthy: your order shipped', 'reply'],
  ['Internal testing showed the bug is fixed', 'reply'],
  ['Internally we escalated it', 'reply'],
  ['Private message me your order number', 'reply'],
  ['Privacy: we never share your data', 'reply'],
  ['Hi! Note: your order ships on Monday', 'reply'],
  ['Thanks for waiting, <@U0ALICE> will call you tomorrow', 'reply'],
  [':+1: sure, done', 'reply'],
  ['*Good news:* your refund is on its way', 'reply'],
  ['&gt; Where is my order?\nIt left our warehouse today', 'reply'],
  ['• notebook model X\n• charger', 'reply'],
  ['1. Open the app\n2. Tap Settings', 'reply'],
  ['See <https://acme.com/notes|our notes page>', 'reply'],
  [':refund', 'reply', ':refund'],
  ['  Hello there  ', 'reply', 'Hello there'],
]

describe('classifyThreadMessage', () => {
  const rows = CASES.map(([input, verdict, stored]) => ({ input, verdict, stored }))
  it.each(rows)('$input is a $verdict', ({ input, verdict, stored }) => {
    const said = classifyThreadMessage(input, send)
    expect(said.verdict).toBe(verdict)
    if (stored !== undefined) expect(said.text).toBe(stored)
  })

  it('keeps the table broad: every leak of the issue and at least 40 inputs', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40)
    for (const verdict of ['reply', 'note', 'internal', 'command'] as const)
      expect(CASES.some(([, v]) => v === verdict)).toBe(true)
  })

  it('in internal mode keeps every plain message inside; notes and commands stay what they are', () => {
    expect(classifyThreadMessage('Hi, your refund is on its way', internal)).toEqual({
      verdict: 'internal',
      text: 'Hi, your refund is on its way',
    })
    expect(classifyThreadMessage('*note:* VIP', internal)).toEqual({ verdict: 'note', text: 'VIP' })
    expect(classifyThreadMessage('!reply Hi', internal).verdict).toBe('command')
  })

  it('reads configured markers, and a legacy `note:` as the marker `note`', () => {
    const custom = { markers: ['nota', 'team only', 'note:'], mode: 'send' } as const
    expect(classifyThreadMessage('*Nota:* cliente VIP', custom)).toEqual({
      verdict: 'note',
      text: 'cliente VIP',
    })
    expect(classifyThreadMessage('Team   only - ask billing', custom).verdict).toBe('note')
    expect(classifyThreadMessage('note - legacy', custom).verdict).toBe('note')
    expect(classifyThreadMessage('private: not a marker here', custom).verdict).toBe('reply')
    // A marker that ends in a sign needs no colon after it.
    expect(classifyThreadMessage('// ask billing', { markers: ['//'], mode: 'send' })).toEqual({
      verdict: 'note',
      text: 'ask billing',
    })
  })

  it('noteBody finds the same markers for /reply and /note', () => {
    expect(noteBody('*note:* VIP', markers)).toBe('VIP')
    expect(noteBody('Notes about your order', markers)).toBeUndefined()
  })
})

/** What Slack adds or people type before a marker. */
const decoration = fc.constantFrom(
  '*',
  '_',
  '~',
  '`',
  '&gt; ',
  '>',
  '• ',
  '- ',
  '* ',
  '1. ',
  '12) ',
  ':memo: ',
  ':lock:',
  ':+1::skin-tone-3: ',
  '📝',
  '🔒 ',
  '👩‍💻 ',
  '🇩🇪 ',
  '[',
  '(',
  '"',
  ' ',
  '\u00a0',
  '\u200b',
)
const colonForm = fc.constantFrom(
  ':',
  ' :',
  '  :',
  '：',
  ' - ',
  '- ',
  ' – ',
  ' — ',
  '—\n',
  '\n',
  ' \n',
  ':*',
  ':_',
)
const anyCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''))
const marker = fc.constantFrom(...markers).chain(anyCase)
const mention = fc.constantFrom(
  '<@U0ALICE>',
  '<@W0BOB|bob>',
  '<!subteam^S0B|@billing>',
  '<#C0X|x>',
  '<!here>',
)

describe('classifyThreadMessage properties', () => {
  it('never sends a text that starts with a decorated marker and its colon form', () => {
    fc.assert(
      fc.property(
        fc.array(decoration, { maxLength: 6 }),
        marker,
        colonForm,
        fc.string(),
        (deco, m, form, body) => {
          const text = `${deco.join('')}${m}${form}${body}`
          expect(classifyThreadMessage(text, send).verdict).toBe('note')
        },
      ),
    )
  })

  it('never sends a text whose marker is wrapped in its own formatting', () => {
    fc.assert(
      fc.property(fc.constantFrom('*', '_', '~', '`'), marker, fc.string(), (wrap, m, body) => {
        expect(classifyThreadMessage(`${wrap}${m}${wrap} ${body}`, send).verdict).toBe('note')
      }),
    )
  })

  it('never sends a text that starts with a mention, decorated or not', () => {
    fc.assert(
      fc.property(fc.array(decoration, { maxLength: 4 }), mention, fc.string(), (deco, who, body) => {
        expect(classifyThreadMessage(`${deco.join('')}${who}${body}`, send).verdict).toBe('internal')
      }),
    )
  })

  it('sends nothing in internal mode, and a reply unchanged in send mode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(classifyThreadMessage(text, internal).verdict).not.toBe('reply')
        const said = classifyThreadMessage(text, send)
        if (said.verdict === 'reply') expect(said.text).toBe(text.trim())
      }),
    )
  })

  it('treats any text starting with ! as a command', () => {
    fc.assert(
      fc.property(fc.string(), (rest) => {
        expect(classifyThreadMessage(` !${rest}`, send)).toEqual({
          verdict: 'command',
          text: `!${rest}`.trim(),
        })
      }),
    )
  })
})
