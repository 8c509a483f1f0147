import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DeskError } from '../../src/core/errors.js'
import { PRIORITIES } from '../../src/core/model.js'
import { CHANNELS } from '../helpers/channels.js'
import { describeRule, parseRule, type RuleActions, type RuleConditions } from '../../src/core/rules.js'

const TYPES = ['question', 'incident', 'problem', 'task'] as const

const anyCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''))
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
const pair = <T>(text: string, value: T) => ({ text, value })

/** A keyword is one word, any characters but white space; the rule keeps it in lower case. */
const keyword = fc
  .string({ unit: fc.constantFrom(...'abcXYZ09:%#é-'), minLength: 1, maxLength: 10 })
  .map((k) => pair(`keyword:${k}`, k.toLowerCase()))
const language = fc
  .stringMatching(/^[a-z]{2,3}(-[a-z]{2})?$/)
  .chain(anyCase)
  .map((l) => pair(`language:${l}`, l.toLowerCase()))
const tag = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,31}$/)

const typedRule = fc
  .record({
    keyword: opt(keyword),
    channel: opt(fc.constantFrom(...CHANNELS).map((c) => pair(`channel:${c}`, c))),
    language: opt(language),
    priority: opt(fc.constantFrom(...PRIORITIES).map((p) => pair(`priority:${p}`, p))),
    type: opt(fc.constantFrom(...TYPES).map((t) => pair(`type:${t}`, t))),
    tags: fc.array(tag, { maxLength: 3 }),
    slack: opt(fc.stringMatching(/^[CG][A-Z0-9]{1,11}$/).map((c) => pair(`slack:${c}`, c))),
  })
  .filter((r) => [r.keyword, r.channel, r.language].some(Boolean))
  .filter((r) => [r.priority, r.type, r.slack].some(Boolean) || r.tags.length > 0)
  .chain((r) => {
    const when = [r.keyword, r.channel, r.language].filter((t) => t !== undefined).map((t) => t.text)
    const then = [r.priority, r.type, r.slack].filter((t) => t !== undefined).map((t) => t.text)
    const conditions: RuleConditions = {
      ...(r.keyword && { keyword: r.keyword.value }),
      ...(r.channel && { channel: r.channel.value }),
      ...(r.language && { language: r.language.value }),
    }
    const actions: RuleActions = {
      ...(r.priority && { priority: r.priority.value }),
      ...(r.type && { type: r.type.value }),
      ...(r.tags.length > 0 && { tags: r.tags }),
      ...(r.slack && { slackChannel: r.slack.value }),
    }
    const shuffle = (list: string[]) =>
      fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })
    // Tags keep their order among themselves; every other token may stand anywhere.
    const tagTokens = r.tags.map((t) => `tag:${t}`)
    const actionOrder = fc
      .tuple(shuffle(then), fc.array(fc.nat(), { minLength: tagTokens.length, maxLength: tagTokens.length }))
      .map(([others, at]) => {
        const out = [...others]
        const slots = at.map((n) => n % (out.length + 1)).sort((a, b) => a - b)
        tagTokens.forEach((t, k) => out.splice((slots[k] ?? 0) + k, 0, t))
        return out
      })
    // A slash command is one line; a rule over several lines is refused with the usage (see below).
    const gap = fc.constantFrom(' ', '  ', '\t', ' \t ')
    return fc
      .record({
        when: shuffle(when),
        then: actionOrder,
        ifWord: anyCase('if'),
        thenWord: anyCase('then'),
        gap,
        pad: gap,
      })
      .map(({ when, then, ifWord, thenWord, gap, pad }) => ({
        text: `${pad}${ifWord}${gap}${when.join(gap)}${gap}${thenWord}${gap}${then.join(gap)}${pad}`,
        rule: { conditions, actions },
      }))
  })

describe('parseRule properties', () => {
  it('reads back every rule its grammar allows, in any order, spacing and case of if/then', () => {
    fc.assert(
      fc.property(typedRule, ({ text, rule }) => {
        expect(parseRule(text, TYPES, CHANNELS)).toEqual(rule)
      }),
    )
  })

  it('answers any text with a rule or a clear refusal, never a crash', () => {
    const part = fc.oneof(
      fc.constantFrom(
        'if',
        'then',
        'IF',
        'keyword:',
        'channel:',
        'language:',
        'priority:',
        'type:',
        'tag:',
        'slack:',
        ':',
      ),
      fc.string({ maxLength: 6 }),
    )
    const near = fc.array(part, { maxLength: 10 }).map((parts) => parts.join(' '))
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), near), (text) => {
        try {
          const { conditions, actions } = parseRule(text, TYPES, CHANNELS)
          expect(Object.keys(conditions).length + Object.keys(actions).length).toBeGreaterThan(0)
        } catch (e) {
          expect(e).toBeInstanceOf(DeskError)
          expect((e as DeskError).code).toBe('invalid')
        }
      }),
    )
  })
})

describe('a rule that routes to a Slack channel', () => {
  it('takes #billing as Slack sends it, and a rule copied from /rules list pastes back', () => {
    const typed = parseRule('if keyword:invoice then slack:<#C0BILLING|billing>', TYPES, CHANNELS)
    expect(typed.actions.slackChannel).toBe('C0BILLING')
    const listed = describeRule({ id: 1, ...typed }).replace(/^#1 /, '')
    expect(parseRule(listed, TYPES, CHANNELS)).toEqual(typed)
  })
})
