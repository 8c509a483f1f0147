import { afterEach, describe, expect, it } from 'vitest'
import { findTicket } from '../../src/db/repos/tickets.js'
import { telegramText } from '../fakes/telegram-api.js'
import { AGENT, startHarness, type Harness } from '../helpers/harness.js'

const ADMIN = 'UADMIN'
type Button = { text: string; callback_data: string }

describe('intake questions per ticket type (/intake)', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  let taps = 0
  async function tap(data: string) {
    const u = h.telegram.tap({
      id: `q-${++taps}`,
      from: { id: 7001, first_name: 'Ada', is_bot: false, language_code: 'de' },
      chat_instance: 'ci',
      data,
      message: { message_id: 1, date: 1795424400, chat: { id: 7001, type: 'private' }, text: 'menu' },
    })
    await h.telegram.confirmed(u.update_id)
    await h.app.outbox.drain()
  }
  async function write(text: string) {
    const u = h.telegram.push({
      ...telegramText(text),
      from: { id: 7001, first_name: 'Ada', is_bot: false, language_code: 'de' },
    })
    await h.telegram.confirmed(u.update_id)
    await h.app.outbox.drain()
  }
  const lastSent = () => h.telegram.sent.at(-1)!
  const buttonsOf = (m: Record<string, unknown>) =>
    (m.reply_markup as { inline_keyboard: Button[][] }).inline_keyboard.map((r) => r[0]!)
  const rootCard = () => JSON.stringify(h.slack.callsOf('chat.update').at(-1)?.blocks)

  it('are set by admins, asked one at a time in the customer’s language, skippable, and shown on the root card', async () => {
    h = await startHarness({
      telegram: 'polling',
      env: { INTAKE: 'menu', TICKET_TYPES: 'billing,software', SLACK_ADMINS: ADMIN },
    })
    expect(await h.slash('/intake', 'add billing order_number What is your order number?', AGENT)).toContain(
      'Only admins',
    )
    expect(await h.slash('/intake', 'add refunds order_number Which order?', ADMIN)).toContain(
      'is not a ticket type',
    )
    expect(await h.slash('/intake', 'add billing order_number What is your order number?', ADMIN)).toBe(
      'Customers who pick billing are asked for order_number.',
    )
    await h.slash('/intake', 'add billing order_number lang:de Wie lautet Ihre Bestellnummer?', ADMIN)
    await h.slash('/intake', 'add billing amount How much were you charged?', ADMIN)
    await h.slash('/intake', 'add billing card Which card did you pay with?', ADMIN)
    expect(await h.slash('/intake', 'list', AGENT)).toContain(
      '• *billing* · `order_number`: What is your order number? · (de) Wie lautet Ihre Bestellnummer?',
    )

    await write('Ich wurde doppelt belastet')
    // The agents see the ticket at once, before any answer.
    expect(h.slack.callsOf('chat.postMessage').filter((p) => p.thread_ts === undefined)).toHaveLength(1)
    await tap(buttonsOf(lastSent())[0]!.callback_data)
    expect(lastSent().text).toBe('Wie lautet Ihre Bestellnummer?')
    const skip = buttonsOf(lastSent())
    expect(skip.map((b) => b.text)).toEqual(['Skip'])

    await write('A-5531')
    expect(rootCard()).toContain('*Order number:* A-5531')
    // An answer is still the customer's message: a customer who wrote on instead loses nothing.
    const threadText = () =>
      h.slack
        .callsOf('chat.postMessage')
        .filter((p) => p.thread_ts !== undefined)
        .map((p) => String(p.text))
        .join('\n')
    expect(threadText()).toContain('A-5531')
    expect(lastSent().text).toBe('How much were you charged?')
    // Skipped with the button: the next question comes, and nothing is kept.
    await tap(buttonsOf(lastSent())[0]!.callback_data)
    expect(lastSent().text).toBe('Which card did you pay with?')
    await write('skip')
    expect(threadText()).not.toContain('skip')
    const ticket = (await findTicket(h.db, 1))!
    expect(ticket.type).toBe('billing')
    expect(rootCard()).not.toContain('Amount')
    expect(rootCard()).not.toContain('Card')
    // The questions are done: what the customer writes now is a message for the team.
    await write('Any news?')
    expect(h.slack.callsOf('chat.postMessage').map((p) => p.text)).toContain('Any news?')

    expect(await h.slash('/intake', 'remove billing amount', ADMIN)).toBe(
      'The amount question for billing is removed.',
    )
    expect(await h.slash('/intake', 'remove billing amount', ADMIN)).toContain('There is no amount question')
  })
})
