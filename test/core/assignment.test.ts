import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AssignmentPolicy } from '../../src/core/assignment.js'
import { createHelpDesk, type HelpDesk } from '../../src/core/helpdesk.js'
import type { Channel } from '../../src/core/model.js'
import { defaultTexts } from '../../src/core/texts.js'
import type { Db } from '../../src/db/connection.js'
import { manualClock } from '../helpers/clock.js'
import { memoryDb } from '../helpers/db.js'
import { inbound } from '../helpers/inbound.js'

const A = { deskUserId: 'UA' }
const B = { deskUserId: 'UB' }
const C = { deskUserId: 'UC' }

describe('auto-assignment', () => {
  let db: Db
  let desk: HelpDesk
  let customers = 0
  const clock = manualClock()

  const setUp = (policy: Partial<AssignmentPolicy> = {}) => {
    desk = createHelpDesk({
      db,
      clock,
      texts: defaultTexts,
      assignment: { capacity: 100, groups: {}, rules: [], reassignOnShiftOff: false, ...policy },
    })
  }
  beforeEach(async () => {
    db = await memoryDb()
  })
  afterEach(async () => {
    await db.destroy()
  })

  /** A new ticket from a new customer; returns who got it. */
  async function newTicket(channel: Channel = 'telegram'): Promise<string | null> {
    clock.advance(1_000)
    const { ticketId } = await desk.receive(
      inbound('help', { channel, contact: { externalId: `c${++customers}`, displayName: 'C' } }),
    )
    const row = await db
      .selectFrom('tickets as t')
      .leftJoin('agents as a', 'a.id', 't.assignee_id')
      .select(['a.desk_user_id', 't.status'])
      .where('t.id', '=', ticketId!)
      .executeTakeFirstOrThrow()
    if (row.desk_user_id !== null) expect(row.status).toBe('open')
    return row.desk_user_id
  }

  it('takes turns among the agents on shift', async () => {
    setUp()
    for (const agent of [A, B, C]) await desk.setShift(agent, true)
    const got = []
    for (let i = 0; i < 6; i++) got.push(await newTicket())
    expect(got).toEqual(['UA', 'UB', 'UC', 'UA', 'UB', 'UC'])
  })

  // Thousands of tickets: on a busy machine this takes longer than the default timeout.
  it('is fair under many tickets and never goes beyond an agent’s capacity', async () => {
    setUp({ capacity: 250 })
    for (const agent of [A, B, C]) await desk.setShift(agent, true)
    const counts: Record<string, number> = {}
    for (let i = 0; i < 800; i++) {
      const who = (await newTicket()) ?? 'nobody'
      counts[who] = (counts[who] ?? 0) + 1
    }
    expect(counts).toEqual({ UA: 250, UB: 250, UC: 250, nobody: 50 })
    // Solving tickets frees capacity for new ones.
    const solvable = await db
      .selectFrom('tickets')
      .select('id')
      .where('assignee_id', 'is not', null)
      .limit(5)
      .execute()
    for (const { id } of solvable) await desk.setStatus(A, id, 'solved')
    expect(await newTicket()).not.toBeNull()
  }, 60_000)

  it('assigns nobody when nobody is on shift, and skips agents off shift', async () => {
    setUp()
    expect(await newTicket()).toBeNull()
    await desk.setShift(A, true)
    await desk.setShift(B, true)
    await desk.setShift(A, false)
    expect([await newTicket(), await newTicket()]).toEqual(['UB', 'UB'])
  })

  it('sends tickets to the group their rule names', async () => {
    setUp({ groups: { tech: ['UC'] }, rules: [{ channel: 'discord', group: 'tech' }] })
    for (const agent of [A, B, C]) await desk.setShift(agent, true)
    expect([await newTicket('discord'), await newTicket('discord')]).toEqual(['UC', 'UC'])
    expect(await newTicket('telegram')).toBe('UA')
  })

  it('hands an agent’s open tickets to others when they go off shift, if configured', async () => {
    setUp({ reassignOnShiftOff: true, capacity: 2 })
    await desk.setShift(A, true)
    for (let i = 0; i < 2; i++) expect(await newTicket()).toBe('UA')
    await desk.setShift(B, true)
    expect(await desk.setShift(A, false)).toBe('You are off shift. 2 of your open tickets went to others.')
    const holders = await db
      .selectFrom('tickets as t')
      .innerJoin('agents as a', 'a.id', 't.assignee_id')
      .select('a.desk_user_id')
      .execute()
    expect(holders.map((h) => h.desk_user_id)).toEqual(['UB', 'UB'])
    expect(await desk.setShift(B, false)).toBe(
      'You are off shift. 0 of your open tickets went to others; 2 are unassigned, as nobody else could take them.',
    )
  })
})
