import { describe, expect, it } from 'vitest'
import {
  accessRemovedText,
  assignedText,
  bulkDoneText,
  describeBulk,
  refusalText,
  roleSetText,
} from '../../../adapters/slack/answers.js'
import { BULK_LIMIT } from '../../../src/core/bulk.js'
import { asTicketId } from '../../../src/core/model.js'
import { DeskError } from '../../../src/core/errors.js'

describe("the core's answers to agents, in Slack's words", () => {
  it('names people by mention, with the right article for each role', () => {
    expect(roleSetText('U1', 'agent')).toBe('<@U1> is now an agent.')
    expect(roleSetText('U1', 'supervisor')).toBe('<@U1> is now a supervisor.')
    expect(roleSetText('U1', 'admin')).toBe('<@U1> is now an admin.')
    expect(accessRemovedText('U1')).toBe('<@U1> can no longer work tickets. `/agents add` gives access back.')
  })

  it('words a refusal the core explained, and shows any other as the core said it', () => {
    const already = new DeskError('conflict', 'U1 already has the role admin.', {
      detail: { kind: 'already_has_role', deskUserId: 'U1', role: 'admin' },
    })
    expect(refusalText(already)).toBe('<@U1> is already an admin.')
    const gone = new DeskError('conflict', 'U1 has no access to take away.', {
      detail: { kind: 'no_access_to_remove', deskUserId: 'U1' },
    })
    expect(refusalText(gone)).toBe('<@U1> has no access to take away.')
    expect(refusalText(new DeskError('forbidden', 'Only admins change roles.'))).toBe(
      'Only admins change roles.',
    )
  })

  it('names a bulk action, and sums up a run: what changed, the first skips and why, what is left', () => {
    expect(describeBulk({ action: 'assign', arg: 'U2', filter: '' })).toBe('assign to <@U2>')
    expect(describeBulk({ action: 'tag', arg: 'spam', filter: '' })).toBe('tag `spam`')
    expect(describeBulk({ action: 'priority', arg: 'low', filter: '' })).toBe('set priority low')
    const solved = (ticketId: number) => ({
      ticketId,
      why: new DeskError('conflict', `Ticket #${ticketId} is already solved.`),
    })
    const resolve = { action: 'resolve', filter: '' } as const
    expect(bulkDoneText(resolve, { done: 1, skipped: [], more: false })).toBe('Done: resolve on 1 ticket.')
    const many = Array.from({ length: 12 }, (_, i) => solved(i + 1))
    expect(bulkDoneText(resolve, { done: 488, skipped: many, more: true })).toBe(
      `Done: resolve on 488 tickets. Skipped 12: ${many
        .slice(0, 10)
        .map((s) => `#${s.ticketId} (is already solved)`)
        .join(', ')}, …. Only the ${BULK_LIMIT} newest were done; run it again for the rest.`,
    )
  })

  it('says who has a ticket now, and who had it already', () => {
    expect(assignedText({ deskUserId: 'U1' }, { ticketId: asTicketId(4), assignee: 'U1' })).toBe(
      'Ticket #4 is now assigned to you.',
    )
    expect(assignedText({ deskUserId: 'U1' }, { ticketId: asTicketId(4), assignee: 'U2' })).toBe(
      'Ticket #4 is now assigned to <@U2>.',
    )
    const taken = new DeskError('conflict', 'Ticket #4 is already assigned to U2.', {
      detail: { kind: 'already_assigned', ticketId: 4, assignee: 'U2' },
    })
    expect(refusalText(taken)).toBe('Ticket #4 is already assigned to <@U2>.')
    expect(
      bulkDoneText(
        { action: 'assign', arg: 'U2', filter: '' },
        { done: 2, skipped: [{ ticketId: 4, why: taken }], more: false },
      ),
    ).toBe('Done: assign to <@U2> on 2 tickets. Skipped 1: #4 (is already assigned to <@U2>).')
  })
})
