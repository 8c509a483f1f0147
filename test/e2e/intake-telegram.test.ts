import { afterEach, describe, expect, it } from 'vitest'
import { findTicket } from '../../src/db/repos/tickets.js'
import { messagesOf } from '../../src/db/repos/messages.js'
import { telegramText, type TelegramUpdate } from '../fakes/telegram-api.js'
import { AGENT, startHarness, SUPERVISOR, type Harness } from '../helpers/harness.js'
import { afterAnswer } from '../helpers/settled.js'

type Customer = { id: number; first_name: string; username?: string }
const ADA: Customer = { id: 7001, first_name: 'Ada', username: 'ada' }
const BOB: Customer = { id: 7002, first_name: 'Bob' }

type Button = { text: string; callback_data: string }

describe('the triage menu on Telegram (INTAKE=menu)', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  async function settle(update: TelegramUpdate) {
    await h.telegram.confirmed(update.update_id)
    await h.app.outbox.drain()
  }

  /** The last menu the bot sent a chat: its message ref and its buttons. */
  function menuOf(chatId: number) {
    const i = h.telegram.sent.findLastIndex(
      (m) => m.chat_id === String(chatId) && m.reply_markup !== undefined,
    )
    const sent = h.telegram.sent[i]!
    const rows = (sent.reply_markup as { inline_keyboard: Button[][] }).inline_keyboard
    // The fake numbers the messages it accepts in order, from 501.
    const messageId = 501 + i
    return { text: String(sent.text), buttons: rows.map((r) => r[0]!), messageId }
  }

  let taps = 0
  function tap(from: Customer, data: string, messageId: number, chatId = from.id) {
    return h.telegram.tap({
      id: `cb-${++taps}`,
      from: { ...from, is_bot: false, language_code: 'en' },
      chat_instance: 'ci',
      data,
      message: {
        message_id: messageId,
        date: 1795424400,
        chat: { id: chatId, type: 'private' },
        text: 'menu',
      },
    })
  }

  const rootCard = () => JSON.stringify(h.slack.callsOf('chat.update').at(-1)?.blocks)

  it('asks the kind of request with buttons; a tap sets the type, shows on the root card, and edits the menu', async () => {
    h = await startHarness({ telegram: 'polling', env: { INTAKE: 'menu' } })
    await settle(h.telegram.push(telegramText('The app crashes on login', ADA)))
    const ticket = (await findTicket(h.db, 1))!
    expect(ticket.type).toBeNull()

    const menu = menuOf(ADA.id)
    expect(menu.text).toBe('What is your request about? Pick one, or just keep writing.')
    expect(menu.buttons.map((b) => b.text)).toEqual([
      'Incident',
      'Problem',
      'Question',
      'Task',
      'My requests',
    ])
    expect(h.telegram.commands()).toEqual([{ command: 'tickets', description: 'My requests' }])

    const chosen = tap(ADA, menu.buttons[0]!.callback_data, menu.messageId)
    await settle(chosen)
    expect((await findTicket(h.db, 1))!.type).toBe('incident')
    expect(h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(1)
    expect(h.telegram.edits).toEqual([{ ref: `${ADA.id}:${menu.messageId}`, text: '✓ Incident' }])
    expect(rootCard()).toContain('*Type*\\nIncident')

    // A second tap on the same menu (another button), and the same tap sent again, change nothing.
    await settle(tap(ADA, menu.buttons[2]!.callback_data, menu.messageId))
    expect((await findTicket(h.db, 1))!.type).toBe('incident')
    expect(h.telegram.edits).toHaveLength(1)
    // Every tap is answered, so the customer's spinner stops.
    expect(h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(2)
  })

  it('ignores forged taps and taps on an old menu, and never holds up a customer who writes instead', async () => {
    h = await startHarness({ telegram: 'polling', env: { INTAKE: 'menu' } })
    await settle(h.telegram.push(telegramText('Where is my parcel?', ADA)))
    const adaMenu = menuOf(ADA.id)
    // Ada ignores the menu and writes on: it reaches the thread at once.
    await settle(h.telegram.push(telegramText('It was due Monday', ADA)))
    const posted = h.slack.callsOf('chat.postMessage').map((p) => String(p.text))
    expect(posted).toContain('It was due Monday')

    await settle(h.telegram.push(telegramText('Billing question', BOB)))
    const bobMenu = menuOf(BOB.id)
    // Bob forges Ada's menu choice, an option that does not exist, and data that is no choice at all.
    await settle(tap(BOB, adaMenu.buttons[1]!.callback_data, adaMenu.messageId, BOB.id))
    await settle(tap(BOB, bobMenu.buttons[0]!.callback_data.replace(/:\d+$/, ':99'), bobMenu.messageId))
    await settle(tap(BOB, 'td:1:0; drop table tickets', bobMenu.messageId))
    await settle(tap(BOB, 'something-else', bobMenu.messageId))
    expect((await findTicket(h.db, 1))!.type).toBeNull()
    expect((await findTicket(h.db, 2))!.type).toBeNull()
    expect(h.telegram.edits).toEqual([])

    // Ada's ticket is solved: a tap on its menu now is a tap on an old menu.
    await h.threadReply((await findTicket(h.db, 1))!.thread_ts!, AGENT, '!resolve')
    await afterAnswer(async () => expect((await findTicket(h.db, 1))!.status).toBe('solved'))
    await settle(tap(ADA, adaMenu.buttons[1]!.callback_data, adaMenu.messageId))
    expect((await findTicket(h.db, 1))!.type).toBeNull()
    // Ada's choice on her own live menu works the same way any time before that.
    expect(h.telegram.calls.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(5)
  })

  it('refuses a forged callback on the webhook (no secret) with 401, and takes the signed one', async () => {
    h = await startHarness({ telegram: 'webhook', env: { INTAKE: 'menu' } })
    expect((await h.webhook({ update_id: 1, message: telegramText('Login fails', ADA) })).status).toBe(200)
    await h.app.outbox.drain()
    const menu = menuOf(ADA.id)
    const tapUpdate = {
      update_id: 2,
      callback_query: {
        id: 'cb-webhook',
        from: { ...ADA, is_bot: false, language_code: 'en' },
        chat_instance: 'ci',
        data: menu.buttons[3]!.callback_data,
        message: { message_id: menu.messageId, date: 1795424400, chat: { id: ADA.id, type: 'private' } },
      },
    }
    expect((await h.webhook(tapUpdate, null)).status).toBe(401)
    expect((await h.webhook(tapUpdate, 'guessed')).status).toBe(401)
    expect((await findTicket(h.db, 1))!.type).toBeNull()
    expect((await h.webhook(tapUpdate)).status).toBe(200)
    // Telegram delivering the same update again changes nothing more.
    expect((await h.webhook(tapUpdate)).status).toBe(200)
    await h.app.outbox.drain()
    expect((await findTicket(h.db, 1))!.type).toBe('task')
    expect(h.telegram.edits).toHaveLength(1)

    // A malformed tap is skipped, not refused: Telegram would only send it again, and again.
    for (const [i, callback_query] of [null, 'tap', 7, { data: 'td:1:0' }].entries())
      expect((await h.webhook(JSON.stringify({ update_id: 10 + i, callback_query }))).status).toBe(200)
    expect((await h.webhook({ update_id: 20, message: telegramText('Still there?', ADA) })).status).toBe(200)
    await h.app.outbox.drain()
    expect(h.slack.callsOf('chat.postMessage').map((p) => String(p.text))).toContain('Still there?')
    expect((await findTicket(h.db, 1))!.type).toBe('task')
  })

  it('asks the urgency next with INTAKE_URGENCY, and the priority it sets drives the SLA shown', async () => {
    h = await startHarness({ telegram: 'polling', env: { INTAKE: 'menu', INTAKE_URGENCY: 'true' } })
    await settle(h.telegram.push(telegramText('Checkout is down', ADA)))
    await settle(tap(ADA, menuOf(ADA.id).buttons[0]!.callback_data, menuOf(ADA.id).messageId))
    const urgency = menuOf(ADA.id)
    expect(urgency.text).toBe('How urgent is it?')
    expect(urgency.buttons.map((b) => b.text)).toEqual(['Normal', 'High', 'Urgent', 'My requests'])
    await settle(tap(ADA, urgency.buttons[2]!.callback_data, urgency.messageId))
    const ticket = (await findTicket(h.db, 1))!
    expect([ticket.type, ticket.priority]).toEqual(['incident', 'urgent'])
    expect(rootCard()).toContain('Urgent')
  })
})

describe('"my requests" on Telegram', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  it('lists the customer’s own tickets for /tickets, "status" and the menu button, never another’s or a note', async () => {
    h = await startHarness({ telegram: 'polling', env: { INTAKE: 'menu' } })
    const send = async (text: string, from = ADA) => {
      const u = h.telegram.push(telegramText(text, from))
      await h.telegram.confirmed(u.update_id)
      await h.app.outbox.drain()
    }
    await send('/tickets')
    expect(String(h.telegram.sent.at(-1)!.text)).toBe(
      'You have no requests with us yet. Write your question here to open one.',
    )
    await send('My order never came')
    await send('Secret refund for Bob', BOB)
    const thread = (await findTicket(h.db, 1))!.thread_ts!
    await h.threadReply(thread, AGENT, 'note: customer is a reseller, VIP code 1234')
    await afterAnswer(async () =>
      expect((await messagesOf(h.db, 1)).some((m) => m.direction === 'note')).toBe(true),
    )

    const before = h.slack.callsOf('chat.postMessage').length
    for (const ask of ['/tickets', 'Status?']) {
      await send(ask)
      const list = String(h.telegram.sent.at(-1)!.text)
      expect(list).toMatch(/^Your requests:\n#1 · — · New · \d{4}-\d{2}-\d{2}$/)
      expect(list).not.toContain('#2')
      expect(list).not.toContain('VIP')
    }
    // Asking for the list is no message for the team.
    expect(h.slack.callsOf('chat.postMessage')).toHaveLength(before)
  })

  it('keeps a /start deep link’s reference and shows it on the next ticket’s root card', async () => {
    h = await startHarness({ telegram: 'polling' })
    const start = h.telegram.push(telegramText('/start ORDER-5531', ADA))
    await h.telegram.confirmed(start.update_id)
    const first = h.telegram.push(telegramText('It arrived broken', ADA))
    await h.telegram.confirmed(first.update_id)
    await h.app.outbox.drain()
    const root = JSON.stringify(h.slack.callsOf('chat.postMessage')[0]!.blocks)
    expect(root).toContain('*Reference:* ORDER-5531')
  })
})

describe('who may open tickets (CONTACT_POLICY=known) and blocked contacts', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  async function send(text: string, from = ADA) {
    const u = h.telegram.push(telegramText(text, from))
    await h.telegram.confirmed(u.update_id)
    await h.app.outbox.drain()
  }

  it('answers an unknown contact, closes its ticket at birth and lists it for supervisors, not as work', async () => {
    h = await startHarness({
      telegram: 'polling',
      env: { CONTACT_POLICY: 'known', CONTACT_ALLOWLIST: `telegram:${BOB.id}` },
    })
    await send('Hello, can I get a refund?')
    await send('Please?')
    expect(h.telegram.sent.map((m) => m.text)).toEqual([
      'Thanks for your message. This support line is for registered customers only, so we cannot open a request for it.',
    ])
    expect(h.slack.callsOf('chat.postMessage')).toEqual([])
    const unknown = (await findTicket(h.db, 1))!
    expect([unknown.status, unknown.closed_reason]).toEqual(['closed', 'unknown'])
    expect((await messagesOf(h.db, 1)).map((m) => m.text)).toEqual(['Hello, can I get a refund?', 'Please?'])

    // Bob is on the allow-list: his message is work.
    const roots = () => h.slack.callsOf('chat.postMessage').filter((p) => p.thread_ts === undefined)
    await send('My invoice is wrong', BOB)
    expect(roots()).toHaveLength(1)

    expect(await h.slash('/tickets', 'closed:unknown', SUPERVISOR)).toContain('#1')
    expect(await h.slash('/tickets', 'closed:unknown', SUPERVISOR)).not.toContain('#2')
    expect(await h.slash('/tickets', 'closed:nope', SUPERVISOR)).toContain('is not a reason')

    // A supervisor lets Ada in: her next message is work.
    expect(await h.slash('/allow', '1', AGENT)).toContain('Only supervisors')
    expect(await h.slash('/allow', '1', SUPERVISOR)).toBe(
      'The customer of ticket #1 may open tickets now: their next message opens one.',
    )
    await send('Refund for order 77, please')
    expect(roots()).toHaveLength(2)
    expect((await findTicket(h.db, 3))!.follow_up_of).toBe(1)
  })

  it('!block keeps a contact’s messages without a ticket or a page, says nothing to them, and !unblock ends it', async () => {
    h = await startHarness({ telegram: 'polling' })
    await send('First question')
    const thread = (await findTicket(h.db, 1))!.thread_ts!
    await h.threadReply(thread, AGENT, '!block')
    await h.app.outbox.drain()
    expect(rootCardText()).toContain('Customer blocked')
    await h.threadReply(thread, AGENT, '!resolve')
    await afterAnswer(async () => expect((await findTicket(h.db, 1))!.status).toBe('solved'))
    await h.app.outbox.drain()
    const posts = h.slack.callsOf('chat.postMessage').length
    const sent = h.telegram.sent.length

    await send('Spam spam spam')
    expect(h.slack.callsOf('chat.postMessage')).toHaveLength(posts)
    expect(h.telegram.sent).toHaveLength(sent)
    expect((await findTicket(h.db, 1))!.status).toBe('solved')
    expect((await messagesOf(h.db, 1)).some((m) => m.text === 'Spam spam spam')).toBe(true)
    expect(await findTicket(h.db, 2)).toBeUndefined()

    const history = await h.slash('/history', '1', AGENT)
    expect(history).toContain(`<@${AGENT}> · blocked the contact`)
    expect(await h.slash('/block', '1', AGENT)).toContain('blocked already')
    expect(await h.slash('/unblock', '1', AGENT)).toContain('unblocked')
    await send('A real question now')
    expect((await findTicket(h.db, 1))!.status).toBe('open')
  })

  function rootCardText() {
    return JSON.stringify(h.slack.callsOf('chat.update').at(-1)?.blocks ?? null)
  }
})
