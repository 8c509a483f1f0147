import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AGENT, startHarness, type Harness } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'

const ADMIN = 'UADMIN'

describe('automatic messages per language', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness({ env: { SLACK_ADMINS: ADMIN } })
  })
  afterEach(async () => {
    await h.stop()
  })

  const confirmationFor = async (language: string | undefined, id: string) => {
    h.telegram.sent.length = 0
    await h.app.helpdesk.receive(
      inbound('Hallo', { contact: { externalId: id, displayName: 'Kunde', ...(language && { language }) } }),
    )
    await h.app.outbox.drain()
    return String(h.telegram.sent[0]?.text)
  }

  it("greet each customer in their platform's language, falling back to the base language and the default", async () => {
    expect(
      await h.slash('/templates', 'set confirmation de Danke! Ihr Ticket ist #{{ticket.number}}.', ADMIN),
    ).toBe('The confirmation text in de is saved.')
    await h.slash(
      '/templates',
      'set confirmation Thanks, {{customer.name}}: ticket #{{ticket.number}}.',
      ADMIN,
    )
    expect(await confirmationFor('de', 'a')).toBe('Danke! Ihr Ticket ist #1.')
    expect(await confirmationFor('de-AT', 'b')).toBe('Danke! Ihr Ticket ist #2.')
    expect(await confirmationFor('fr', 'c')).toBe('Thanks, Kunde: ticket #3.')
    expect(await confirmationFor(undefined, 'd')).toBe('Thanks, Kunde: ticket #4.')

    expect(await h.slash('/templates', 'reset confirmation', ADMIN)).toBe(
      'The confirmation text is back to the default.',
    )
    expect(await confirmationFor('fr', 'e')).toContain("We've opened ticket #5")
    expect(await h.slash('/templates', 'list', AGENT)).toContain(
      '• *confirmation* (de): Danke! Ihr Ticket ist #{{ticket.number}}.',
    )
  })

  it('are edited by admins only, with the variables each may use', async () => {
    expect(await h.slash('/templates', 'set greeting Hi!', AGENT)).toBe(
      ':warning: Only admins change the automatic messages.',
    )
    expect(await h.slash('/templates', 'set confirmation Thanks!', ADMIN)).toBe(
      ':warning: The confirmation text must include {{ticket.number}}.',
    )
    expect(await h.slash('/templates', 'set greeting Hi {{agent.name}}', ADMIN)).toBe(
      ':warning: Unknown variable {{agent.name}}; greeting may use {{customer.name}}.',
    )
    expect(await h.slash('/templates', 'set farewell Bye', ADMIN)).toBe(
      ':warning: `farewell` is not a template; choose confirmation, greeting, away, reminder, menu, urgency, requests, norequests, unknown.',
    )
  })
})
