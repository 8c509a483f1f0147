import { describe, expect, it } from 'vitest'
import { createBusinessHours, parseSchedule } from '../../src/core/hours.js'
import type { TicketStatus } from '../../src/core/model.js'
import {
  defaultSlaPolicy,
  evaluateClocks,
  mostUrgent,
  type SlaFacts,
  type SlaSettings,
} from '../../src/core/sla.js'

const H = 3_600_000
const at = (iso: string) => new Date(iso)
const hours = createBusinessHours({ zone: 'Europe/Berlin', schedule: parseSchedule('Mon-Fri 09:00-17:00') })
const settings = (paused: TicketStatus[] = ['on_hold']): SlaSettings => ({
  policy: defaultSlaPolicy,
  hours,
  warnAt: 0.75,
  pausedStatuses: new Set(paused),
})
const facts = (over: Partial<SlaFacts> = {}): SlaFacts => ({
  status: 'new',
  priority: 'normal',
  createdAt: at('2026-11-27T14:00:00Z'), // Fri 15:00 Berlin
  firstResponseAt: null,
  awaitingReplySince: null,
  pauses: [],
  ...over,
})

describe('SLA clocks', () => {
  it('count working time only: a Friday afternoon ticket is due on Monday', () => {
    // Normal priority: 4 working hours. Fri 15:00–17:00 uses 2, Monday 09:00–11:00 the rest.
    const [first, resolution] = evaluateClocks(facts(), at('2026-11-27T15:00:00Z'), settings())
    expect(first).toMatchObject({ clock: 'first_response', elapsedMs: 1 * H, breached: false })
    expect(first?.dueAt?.toISOString()).toBe('2026-11-30T10:00:00.000Z')
    expect(resolution?.clock).toBe('resolution')
    // Over the weekend nothing is used up.
    const monday = evaluateClocks(facts(), at('2026-11-30T08:00:00Z'), settings())[0]
    expect(monday?.elapsedMs).toBe(2 * H)
  })

  it('stop while on hold and resume where they stopped', () => {
    const pauses = [[at('2026-11-30T08:00:00Z'), null]] as const // on hold since Mon 09:00
    const held = evaluateClocks(
      facts({ status: 'on_hold', pauses }),
      at('2026-11-30T12:00:00Z'),
      settings(),
    )[0]
    expect(held).toMatchObject({ paused: true, dueAt: null, elapsedMs: 2 * H })
    // Back to open at 13:00 after four hours on hold: two working hours left from there.
    const resumed = evaluateClocks(
      facts({ status: 'open', pauses: [[at('2026-11-30T08:00:00Z'), at('2026-11-30T12:00:00Z')]] }),
      at('2026-11-30T12:00:00Z'),
      settings(),
    )[0]
    expect(resumed).toMatchObject({ paused: false, elapsedMs: 2 * H })
    expect(resumed?.dueAt?.toISOString()).toBe('2026-11-30T14:00:00.000Z')
  })

  it('pause for pending only when so configured', () => {
    const pending = facts({ status: 'pending', pauses: [[at('2026-11-30T08:00:00Z'), null]] })
    expect(evaluateClocks(pending, at('2026-11-30T10:00:00Z'), settings())[0]?.paused).toBe(false)
    expect(
      evaluateClocks(pending, at('2026-11-30T10:00:00Z'), settings(['on_hold', 'pending']))[0]?.paused,
    ).toBe(true)
  })

  it('run a next-response clock from the customer message that follows an answer', () => {
    const answered = facts({
      status: 'open',
      firstResponseAt: at('2026-11-27T14:30:00Z'),
      awaitingReplySince: at('2026-11-30T08:00:00Z'),
    })
    const clocks = evaluateClocks(answered, at('2026-11-30T15:00:00Z'), settings())
    expect(clocks.map((c) => c.clock)).toEqual(['next_response', 'resolution'])
    expect(clocks[0]).toMatchObject({ elapsedMs: 7 * H, breached: false }) // 8 h target
    expect(evaluateClocks(answered, at('2026-11-30T16:00:00Z'), settings())[0]?.breached).toBe(true)
  })

  it('follow the priority of the ticket, and stop once it is solved', () => {
    const urgent = evaluateClocks(facts({ priority: 'urgent' }), at('2026-11-27T14:40:00Z'), settings())[0]
    expect(urgent?.breached).toBe(true) // 30 minutes
    expect(evaluateClocks(facts({ status: 'solved' }), at('2026-11-27T15:00:00Z'), settings())).toEqual([])
  })

  it('show the breached clock first, then the one due soonest', () => {
    const clocks = evaluateClocks(facts({ priority: 'urgent' }), at('2026-11-27T14:40:00Z'), settings())
    expect(mostUrgent(clocks)?.clock).toBe('first_response')
  })
})
