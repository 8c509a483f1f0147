import { describe, expect, it } from 'vitest'
import { factText } from '../../../adapters/slack/facts-text.js'
import { threadEntry } from '../../../adapters/slack/blocks.js'
import { encodeFact } from '../../../src/core/ticket-facts.js'
import type { TicketView } from '../../../src/core/ports.js'
import { asTicketId } from '../../../src/core/model.js'
import { catalog } from '../../helpers/channels.js'

const when = (at: Date) => `${at.toISOString().slice(11, 16)} UTC`

describe("a ticket thread's system lines, in words", () => {
  it('says which message did not arrive, where, and why, with the reason shown as plain text', () => {
    expect(
      factText(
        7,
        { kind: 'undelivered', what: 'message', reportedBy: 'whatsapp_cloud', reason: '131026 <!channel>' },
        catalog.labelOf,
        when,
      ),
    ).toBe(':warning: A message to the customer on WhatsApp could not be delivered: 131026 &lt;!channel&gt;')
    expect(
      factText(
        7,
        { kind: 'undelivered', what: 'message', reportedBy: null, reason: 'blocked' },
        catalog.labelOf,
        when,
      ),
    ).toBe(':warning: A message to the customer could not be delivered: blocked')
    expect(
      factText(
        7,
        { kind: 'undelivered', what: 'direct', reportedBy: null, reason: 'x' },
        catalog.labelOf,
        when,
      ),
    ).toBe(':warning: A customer message could not be delivered: x')
  })

  it('says why a ticket was solved without an agent', () => {
    expect(
      factText(7, { kind: 'auto_solved', reason: 'customer_silent', days: 5 }, catalog.labelOf, when),
    ).toBe(':robot_face: Solved automatically: the customer did not answer for 5 days.')
    expect(
      factText(7, { kind: 'auto_solved', reason: 'customer_silent', days: 1 }, catalog.labelOf, when),
    ).toBe(':robot_face: Solved automatically: the customer did not answer for 1 day.')
  })

  it('tells the assignee and each supervisor of a breach once', () => {
    const breach = {
      kind: 'sla_breach',
      clock: 'first_response',
      targetMs: 4 * 3_600_000,
      assignee: 'USUPER',
      supervisors: ['USUPER', 'UADMIN', 'UADMIN'],
    } as const
    expect(factText(3, breach, catalog.labelOf, when)).toBe(
      ':rotating_light: *First response SLA breached* on #3 (target 4 h of working time). <@USUPER> <@UADMIN>',
    )
  })

  it('says so when a breached ticket has nobody assigned, and gives a target in minutes when it has some', () => {
    const breach = {
      kind: 'sla_breach',
      clock: 'next_response',
      targetMs: 30 * 60_000,
      assignee: null,
      supervisors: ['USUPER'],
    } as const
    expect(factText(3, breach, catalog.labelOf, when)).toBe(
      ':rotating_light: *Next response SLA breached* on #3 (target 30 min of working time). Nobody is assigned. <@USUPER>',
    )
    expect(factText(3, { ...breach, supervisors: [] }, catalog.labelOf, when)).toMatch(
      /of working time\)\. Nobody is assigned\.$/,
    )
  })

  it('warns the assignee with the due time as the team reads it', () => {
    const warning = {
      kind: 'sla_warning',
      clock: 'resolution',
      dueAt: '2026-11-23T13:00:00.000Z',
      usedShare: 0.75,
      assignee: 'UAGENT',
    } as const
    expect(factText(9, warning, catalog.labelOf, when)).toBe(
      ':hourglass_flowing_sand: *Resolution due 13:00 UTC* on #9 (75 % of the target used). <@UAGENT>',
    )
    expect(factText(9, { ...warning, assignee: null }, catalog.labelOf, when)).toMatch(
      /used\)\. Nobody is assigned\.$/,
    )
  })

  it('shows a line stored before lines were facts as it was written', () => {
    const view = { id: asTicketId(4) } as TicketView
    const entry = (text: string) => ({ direction: 'system', kind: 'text', text, author: null }) as const
    expect(threadEntry(view, entry(':warning: an old line'), catalog.labelOf, when).text).toBe(
      ':warning: an old line',
    )
    expect(threadEntry(view, entry('{not json'), catalog.labelOf, when).text).toBe('{not json')
    const fact = encodeFact({ kind: 'auto_solved', reason: 'customer_silent', days: 5 })
    expect(threadEntry(view, entry(fact), catalog.labelOf, when).text).toContain('Solved automatically')
  })
})
