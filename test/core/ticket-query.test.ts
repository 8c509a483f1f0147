import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHelpDesk, type HelpDesk } from '../../src/core/helpdesk.js'
import { createTicketFields, DEFAULT_TICKET_TYPES } from '../../src/core/ticket-fields.js'
import { countTickets, listTickets, parseFilter, WORKING } from '../../src/core/ticket-query.js'
import { defaultTexts } from '../../src/core/texts.js'
import type { Db } from '../../src/db/connection.js'
import { manualClock } from '../helpers/clock.js'
import { memoryDb } from '../helpers/db.js'
import { inbound } from '../helpers/inbound.js'

const me = { deskUserId: 'UME' }
const other = { deskUserId: 'UOTHER' }

describe('ticket filters', () => {
  it('read every kind of filter, and default to tickets that need work', () => {
    expect(parseFilter('', 'UME')).toEqual({ statuses: WORKING })
    expect(
      parseFilter(
        'status:pending,on_hold assignee:me channel:Telegram priority:HIGH tag:VIP type:incident age:>3d late refund',
        'UME',
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
    const all = parseFilter('assignee:<@U123|ann> status:all', 'UME')
    expect(all.assignee).toBe('U123')
    expect(all.statuses).toContain('closed')
  })

  it('say what is wrong and what is allowed', () => {
    expect(() => parseFilter('status:done', 'UME')).toThrow('`done` is not a status')
    expect(() => parseFilter('assignee:bob', 'UME')).toThrow('`bob` is not me, none or a linked @mention')
    expect(() => parseFilter('age:3 days', 'UME')).toThrow('`3` is not an age like >3d or <2h')
    expect(() => parseFilter('colour:red', 'UME')).toThrow(
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
    (await listTickets(db, parseFilter(text, me.deskUserId), clock.now())).tickets.map((t) => t.id)

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

  it('say whether there are more than shown, and count what bulk work would touch', async () => {
    const filter = parseFilter('status:all', me.deskUserId)
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
