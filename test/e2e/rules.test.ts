import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findTicket } from '../../src/db/repos/tickets.js'
import { AGENT, startHarness, type Harness } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'
import { expectLogged } from '../helpers/log.js'

const ADMIN = 'UADMIN'

describe('creation rules', () => {
  let h: Harness
  let customers = 0
  beforeEach(async () => {
    h = await startHarness({ env: { SLACK_ADMINS: ADMIN } })
  })
  afterEach(async () => {
    await h.stop()
  })

  const open = async (text: string, over: { channel?: 'telegram' | 'discord'; language?: string } = {}) => {
    const contact = {
      externalId: `c${++customers}`,
      displayName: 'C',
      ...(over.language && { language: over.language }),
    }
    const { ticketId } = await h.app.helpdesk.receive(
      inbound(text, { channel: over.channel ?? 'telegram', contact }),
    )
    await h.app.outbox.drain()
    return (await findTicket(h.db, ticketId!))!
  }

  it('set priority, type, tags and the Slack channel of new tickets whose first message matches', async () => {
    // The harness enables no Discord adapter, so the automatic "ticket opened" reply to the two
    // Discord customers fails for good; the rules are what this test is about.
    expectLogged('delivery failed for good', {
      err: 'the discord channel is not enabled (its token is not configured)',
    })
    expect(
      await h.slash('/rules', 'add if keyword:refund then priority:high type:question tag:billing', ADMIN),
    ).toBe('Rule saved: #1 if keyword:refund then priority:high type:question tag:billing')
    await h.slash('/rules', 'add if channel:discord language:de then tag:dach slack:CDACH', ADMIN)

    const refund = await open('I want a REFUND now')
    expect(refund).toMatchObject({ priority: 'high', type: 'question', desk_channel: null })
    expect(await h.app.fields.tagsOf(refund.id)).toEqual(['billing'])

    const dach = await open('Hallo', { channel: 'discord', language: 'de-AT' })
    expect(dach.thread_channel).toBe('CDACH') // its thread opened in the other channel
    expect(await h.app.fields.tagsOf(dach.id)).toEqual(['dach'])

    const plain = await open('Hello', { channel: 'discord', language: 'en' })
    expect(plain).toMatchObject({ priority: 'normal', type: null, thread_channel: 'CSUPPORT' })
    const history = await h.app.fields.history(refund.id)
    expect(history.find((l) => l.action === 'rule')?.to).toBe(
      '#1 if keyword:refund then priority:high type:question tag:billing',
    )
  })

  it('that only tag still let the message in', async () => {
    await h.slash('/rules', 'add if keyword:invoice then tag:billing', ADMIN)
    const ticket = await open('Where is my invoice?')
    expect(await h.app.fields.tagsOf(ticket.id)).toEqual(['billing'])
    expect(ticket).toMatchObject({ priority: 'normal', type: null })
  })

  it('are kept by admins, and say what they accept', async () => {
    expect(await h.slash('/rules', 'add if keyword:x then priority:high', AGENT)).toBe(
      ':warning: Only admins change the rules.',
    )
    expect(await h.slash('/rules', 'add keyword:x priority:high', ADMIN)).toContain(
      'Write a rule as `if keyword:refund',
    )
    expect(await h.slash('/rules', 'add if colour:red then priority:high', ADMIN)).toContain(
      '`colour:red` is not a condition.',
    )
    expect(await h.slash('/rules', 'add if keyword:x then priority:extreme', ADMIN)).toContain(
      '`priority:extreme` is not an action.',
    )
    await h.slash('/rules', 'add if keyword:x then priority:low', ADMIN)
    expect(await h.slash('/rules', 'list', AGENT)).toContain('• #1 if keyword:x then priority:low')
    expect(await h.slash('/rules', 'remove 1', ADMIN)).toBe('Rule #1 removed.')
    expect(await h.slash('/rules', 'remove 1', ADMIN)).toBe(':warning: There is no rule #1.')
  })
})
