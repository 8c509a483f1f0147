import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHelpDesk, type HelpDesk } from '../../src/core/helpdesk.js'
import { createTicketFields, DEFAULT_TICKET_TYPES } from '../../src/core/ticket-fields.js'
import { DeskError } from '../../src/core/errors.js'
import { PRIORITIES, TICKET_STATUSES } from '../../src/core/model.js'
import { CHANNELS } from '../helpers/channels.js'
import {
  countTickets,
  listTickets,
  parseFilter,
  ticketIdsOf,
  WORKING,
  type TicketFilter,
} from '../../src/core/ticket-query.js'
import { defaultTexts } from '../../src/core/texts.js'
import type { Db } from '../../src/db/connection.js'
import { manualClock } from '../helpers/clock.js'
import { memoryDb } from '../helpers/db.js'
import { inbound } from '../helpers/inbound.js'

const me = { deskUserId: 'UME' }
const other = { deskUserId: 'UOTHER' }

describe('ticket filters', () => {
  it('read every kind of filter, and default to tickets that need work', () => {
    expect(parseFilter('', 'UME', CHANNELS)).toEqual({ statuses: WORKING })
    expect(
      parseFilter(
        'status:pending,on_hold assignee:me channel:Telegram priority:HIGH tag:VIP type:incident age:>3d late refund',
        'UME',
        CHANNELS,
      ),
    ).toEqual({
      statuses: ['pending', 'on_hold'],
      assignee: 'UME',
      channel: 'telegram',
      priority: 'high',
      tag: 'vip',
      type: 'incident',
      age: { op: '>', ms: 3 * 86_400_000 },
      text: 'late refund',
    })
    const all = parseFilter('assignee:<@U123|ann> status:all', 'UME', CHANNELS)
    expect(all.assignee).toBe('U123')
    expect(all.statuses).toContain('closed')
  })

  it('say what is wrong and what is allowed', () => {
    expect(() => parseFilter('status:done', 'UME', CHANNELS)).toThrow('`done` is not a status')
    expect(() => parseFilter('assignee:bob', 'UME', CHANNELS)).toThrow(
      '`bob` is not me, none or a linked @mention',
    )
    expect(() => parseFilter('age:3 days', 'UME', CHANNELS)).toThrow('`3` is not an age like >3d or <2h')
    expect(() => parseFilter('colour:red', 'UME', CHANNELS)).toThrow(
      '`colour:` is not a filter. Filters: `status:open`',
    )
  })
})

describe('ticket lists', () => {
  let db: Db
  let desk: HelpDesk
  const clock = manualClock(new Date('2026-11-01T09:00:00Z'))
  beforeEach(async () => {
    db = await memoryDb()
    desk = createHelpDesk({ db, clock, texts: defaultTexts })
    const fields = createTicketFields({ db, clock, types: DEFAULT_TICKET_TYPES })
    const open = async (text: string, customer: string, channel: 'telegram' | 'discord' = 'telegram') =>
      (
        await desk.receive(
          inbound(text, { channel, contact: { externalId: customer, displayName: customer } }),
        )
      ).ticketId!
    const a = await open('Refund for order 1', 'ann')
    clock.advance(5 * 86_400_000)
    const b = await open('Login broken', 'bob', 'discord')
    const c = await open('100% off code?', 'cat')
    await desk.assign(me, a, me.deskUserId)
    await desk.assign(other, b, other.deskUserId)
    await fields.setPriority(me, b, 'urgent')
    await fields.tag(me, a, ['vip'], [])
    await desk.setStatus(me, c, 'solved')
  })
  afterEach(async () => {
    await db.destroy()
  })

  const ids = async (text: string) =>
    (await listTickets(db, parseFilter(text, me.deskUserId, CHANNELS), clock.now())).tickets.map((t) => t.id)

  it('combine filters, newest first', async () => {
    expect(await ids('')).toEqual([2, 1])
    expect(await ids('status:all')).toEqual([3, 2, 1])
    expect(await ids('assignee:me')).toEqual([1])
    expect(await ids('assignee:none status:all')).toEqual([3])
    expect(await ids('channel:discord priority:urgent')).toEqual([2])
    expect(await ids('tag:vip')).toEqual([1])
    expect(await ids('age:>2d')).toEqual([1])
    expect(await ids('age:<2d status:all')).toEqual([3, 2])
    expect(await ids('refund')).toEqual([1])
    expect(await ids('status:solved 100%')).toEqual([3])
    expect(await ids('status:all 100% off')).toEqual([3])
    expect(await ids('status:all %')).toEqual([3]) // % is a character, not a wildcard
  })

  it('find words in any order, as whole words or their start, in subjects and topics', async () => {
    expect(await ids('order refund')).toEqual([1])
    expect(await ids('REFUND ord')).toEqual([1])
    expect(await ids('refund login')).toEqual([])
    expect(await ids('efund')).toEqual([]) // the start of a word, not any part of it
    await createTicketFields({ db, clock, types: DEFAULT_TICKET_TYPES }).setTopic(
      me,
      2,
      'Password reset loop',
    )
    expect(await ids('password loop')).toEqual([2])
    await createTicketFields({ db, clock, types: DEFAULT_TICKET_TYPES }).setTopic(me, 2, 'Two-factor')
    expect(await ids('password')).toEqual([])
    expect(await ids('two factor')).toEqual([2])
  })

  it('find words whatever their accents, and words in any script', async () => {
    const subject = async (text: string) =>
      (await desk.receive(inbound(text, { contact: { externalId: text, displayName: text } }))).ticketId!
    const cafe = await subject('Café crème brûlée')
    const resume = await subject('Resume upload fails')
    const parcel = await subject('Жалоба: посылка не пришла')
    expect(await ids('cafe')).toEqual([cafe])
    expect(await ids('CAFÉ brulee')).toEqual([cafe])
    expect(await ids('crè')).toEqual([cafe])
    expect(await ids('résumé')).toEqual([resume])
    expect(await ids('посыл')).toEqual([parcel])
    expect(await ids('пришла Жал')).toEqual([parcel])
    expect(await ids('сылка')).toEqual([]) // inside a word, not at its start
    expect(await ids('b')).toEqual([cafe, 2]) // one letter: "brûlée", "broken"
    expect(await ids('u')).toEqual([resume])
  })

  it('search any text typed without failing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 12 }), async (typed) => {
        const words = typed.replace(/\S*:\S*/g, ' ').trim()
        if (words === '') return
        const filter = parseFilter(`status:all ${words}`, me.deskUserId, CHANNELS)
        await listTickets(db, filter, clock.now())
      }),
      { numRuns: 200 },
    )
    for (const typed of ['"', 'NEAR(a b)', 'a OR b', '*', 'refund*', '-refund', '^refund', 'a AND', '(']) {
      await listTickets(db, parseFilter(`status:all ${typed}`, me.deskUserId, CHANNELS), clock.now())
    }
    expect(await ids('"refund"')).toEqual([1])
  })

  it('page through a search newest first, as bulk work walks it', async () => {
    const more = []
    for (const n of [1, 2, 3, 4, 5])
      more.push(
        (await desk.receive(inbound(`Refund ${n}`, { contact: { externalId: `r${n}`, displayName: 'r' } })))
          .ticketId!,
      )
    const filter = parseFilter('status:all refund', me.deskUserId, CHANNELS)
    const pages: number[][] = []
    let before: number | undefined
    while (pages.length < 5) {
      const page = await ticketIdsOf(db, filter, clock.now(), 2, before)
      pages.push(page.ids)
      if (!page.more) break
      before = page.ids.at(-1)
    }
    expect(pages).toEqual([more.slice(3).reverse(), more.slice(1, 3).reverse(), [more[0], 1]])
    expect(await countTickets(db, filter, clock.now())).toBe(6)
  })

  it('say whether there are more than shown, and count what bulk work would touch', async () => {
    const filter = parseFilter('status:all', me.deskUserId, CHANNELS)
    const page = await listTickets(db, filter, clock.now(), 2)
    expect(page.tickets.map((t) => t.id)).toEqual([3, 2])
    expect(page.more).toBe(true)
    expect(page.tickets[1]).toMatchObject({
      customer: 'bob',
      assignee: 'UOTHER',
      priority: 'urgent',
      channel: 'discord',
    })
    expect(await countTickets(db, filter, clock.now())).toBe(3)
  })
})

/** A filter as the user types it (tokens in any order, any case), with the value it must read as. */
interface Typed {
  readonly tokens: readonly string[]
  readonly filter: TicketFilter
}

const anyCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''))
const token = <T>(key: string, typed: fc.Arbitrary<[string, T]>) =>
  fc.option(
    typed.map(([value, parsed]) => ({ text: `${key}:${value}`, parsed })),
    { nil: undefined },
  )

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const
const userId = fc.stringMatching(/^[UW][A-Z0-9]{2,10}$/)
const label = fc.string({ unit: fc.constantFrom(...'abcé1_.-:'), maxLength: 8 }) // no space, no '>'
const value = fc.string({ unit: fc.constantFrom(...'abcz09_-:é#%'), minLength: 1, maxLength: 10 })
/** Search words: anything but a `key:value` token. */
const word = fc
  .string({ unit: fc.constantFrom(...'ab:%_#é😀1'), minLength: 1, maxLength: 8 })
  .filter((w) => !/^(\w+):(.+)$/.test(w))

const typedFilter: fc.Arbitrary<Typed> = fc
  .record({
    status: fc.option(
      fc.oneof(
        anyCase('all').map((v) => [v, TICKET_STATUSES] as [string, readonly string[]]),
        fc
          .array(fc.constantFrom(...TICKET_STATUSES), { minLength: 1, maxLength: 4 })
          .chain((list) => anyCase(list.join(',')).map((v) => [v, list] as [string, readonly string[]])),
      ),
      { nil: undefined },
    ),
    assignee: token(
      'assignee',
      fc.oneof(
        anyCase('me').map((v) => [v, 'UME'] as [string, string]),
        anyCase('none').map((v) => [v, 'none'] as [string, string]),
        fc
          .tuple(userId, fc.option(label))
          .map(([id, name]) => [name === null ? `<@${id}>` : `<@${id}|${name}>`, id] as [string, string]),
      ),
    ),
    channel: token(
      'channel',
      fc.constantFrom(...CHANNELS).chain((c) => anyCase(c).map((v) => [v, c] as [string, string])),
    ),
    priority: token(
      'priority',
      fc.constantFrom(...PRIORITIES).chain((p) => anyCase(p).map((v) => [v, p] as [string, string])),
    ),
    tag: token(
      'tag',
      value.chain((t) => anyCase(t).map((v) => [v, t] as [string, string])),
    ),
    type: token(
      'type',
      value.chain((t) => anyCase(t).map((v) => [v, t] as [string, string])),
    ),
    age: token(
      'age',
      fc
        .tuple(
          fc.constantFrom('>', '<'),
          fc.integer({ min: 0, max: 10_000 }),
          fc.constantFrom('m', 'h', 'd', 'w'),
        )
        .map(
          ([op, n, unit]) =>
            [`${op}${n}${unit}`, { op, ms: n * UNIT_MS[unit] }] as [string, TicketFilter['age']],
        ),
    ),
    words: fc.array(word, { maxLength: 4 }),
  })
  .chain((g) => {
    const keyed = [
      g.status && { text: `status:${g.status[0]}`, parsed: g.status[1] },
      g.assignee,
      g.channel,
      g.priority,
      g.tag,
      g.type,
      g.age,
    ]
    const filterTokens = keyed.filter((t) => t !== undefined).map((t) => t.text)
    const all = [...filterTokens, ...g.words]
    return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }).map((tokens) => {
      const filter = {
        statuses: g.status?.[1] ?? WORKING,
        ...(g.assignee && { assignee: g.assignee.parsed }),
        ...(g.channel && { channel: g.channel.parsed }),
        ...(g.priority && { priority: g.priority.parsed }),
        ...(g.tag && { tag: g.tag.parsed }),
        ...(g.type && { type: g.type.parsed }),
        ...(g.age && { age: g.age.parsed }),
        // Words keep the order they were typed in, among the filters.
        ...(g.words.length > 0 && { text: tokens.filter((t) => g.words.includes(t)).join(' ') }),
      } as TicketFilter
      return { tokens, filter }
    })
  })

const space = fc.constantFrom(' ', '  ', '\t', '\n', ' \n ')
const render = (tokens: readonly string[]) =>
  fc
    .tuple(fc.array(space, { minLength: tokens.length + 1, maxLength: tokens.length + 1 }))
    .map(([gaps]) => gaps.map((gap, i) => gap + (tokens[i] ?? '')).join(''))

describe('parseFilter properties', () => {
  it('reads back every filter its grammar allows, however it is spaced, ordered and cased', () => {
    fc.assert(
      fc.property(
        typedFilter.chain((t) => render(t.tokens).map((text) => ({ text, filter: t.filter }))),
        ({ text, filter }) => {
          expect(parseFilter(text, 'UME', CHANNELS)).toEqual(filter)
        },
      ),
    )
  })

  it('answers any text with a filter or a clear refusal, never a crash', () => {
    const key = fc.constantFrom(
      'status',
      'assignee',
      'channel',
      'priority',
      'tag',
      'type',
      'age',
      'x',
      'Status',
      '',
    )
    const near = fc
      .array(fc.tuple(key, fc.constantFrom(':', '', '::'), fc.string({ maxLength: 8 })), { maxLength: 5 })
      .map((ts) => ts.map((t) => t.join('')).join(' '))
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), near), (text) => {
        try {
          const filter = parseFilter(text, 'UME', CHANNELS)
          expect(filter.statuses.length).toBeGreaterThan(0)
        } catch (e) {
          expect(e).toBeInstanceOf(DeskError)
          expect((e as DeskError).code).toBe('invalid')
        }
      }),
    )
  })
})

describe('an age no ticket can have', () => {
  it('is refused with a clear line instead of failing the search', () => {
    expect(() => parseFilter('age:>99999999999999999999d', 'UME', CHANNELS)).toThrow(
      /longer ago than anything/,
    )
  })
})
