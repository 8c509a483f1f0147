import { afterEach, describe, expect, it } from 'vitest'
import { findTicket } from '../../src/db/repos/tickets.js'
import { CUSTOMER, customerMessage, textMessage, wamid } from '../fixtures/whatsapp-cloud.js'
import { IG_CUSTOMER, instagramText, instagramWebhook, mid } from '../fixtures/instagram.js'
import { startHarness, type Harness } from '../helpers/harness.js'

type Sent = { body: Record<string, unknown> }
type Interactive = {
  type: string
  body: { text: string }
  action: {
    buttons?: { reply: { id: string; title: string } }[]
    sections?: { rows: { id: string; title: string }[] }[]
  }
}

describe('the triage menu on WhatsApp Cloud (interactive messages)', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  const menus = () =>
    h.graph.sent
      .map((s: Sent) => s.body.interactive as Interactive | undefined)
      .filter((i): i is Interactive => i !== undefined)

  /** A tap on a reply button or list row, as the messages webhook reports it. */
  const reply = (kind: 'button_reply' | 'list_reply', choice: { id: string; title: string }, id = wamid()) =>
    customerMessage(
      { type: 'interactive', context: { id: 'wamid.OUT2' }, interactive: { type: kind, [kind]: choice } },
      id,
    )

  it('offers three or fewer kinds as reply buttons; a tap sets the type once, even when Meta sends it again', async () => {
    h = await startHarness({ whatsappCloud: true, env: { INTAKE: 'menu', TICKET_TYPES: 'billing,shipping' } })
    expect((await h.meta(textMessage('I was charged twice'))).status).toBe(200)
    await h.app.outbox.drain()
    const [menu] = menus()
    expect(menu?.type).toBe('button')
    expect(menu?.body.text).toBe('What is your request about? Pick one, or just keep writing.')
    const buttons = menu!.action.buttons!.map((b) => b.reply)
    expect(buttons.map((b) => b.title)).toEqual(['Billing', 'Shipping', 'My requests'])

    const tap = reply('button_reply', buttons[0]!)
    expect((await h.meta(tap)).status).toBe(200)
    expect((await h.meta(tap)).status).toBe(200)
    // A second tap, on the other button of the same menu, changes nothing.
    expect((await h.meta(reply('button_reply', buttons[1]!))).status).toBe(200)
    await h.app.outbox.drain()
    expect((await findTicket(h.db, 1))!.type).toBe('billing')
    const root = JSON.stringify(h.slack.callsOf('chat.update').at(-1)?.blocks)
    expect(root).toContain('*Type*\\nBilling')

    // The menu's last button lists the customer's own requests.
    expect((await h.meta(reply('button_reply', buttons[2]!))).status).toBe(200)
    await h.app.outbox.drain()
    const last = h.graph.sent.at(-1)!.body as { to: string; text?: { body: string } }
    expect(last.to).toBe(CUSTOMER)
    expect(last.text?.body).toMatch(/^Your requests:\n#1 · Billing · New · /)
  })

  it('offers more kinds as a list, and ignores a forged row id, a forged signature and an old menu', async () => {
    h = await startHarness({ whatsappCloud: true, env: { INTAKE: 'menu' } })
    expect((await h.meta(textMessage('The app crashes'))).status).toBe(200)
    await h.app.outbox.drain()
    const [menu] = menus()
    expect(menu?.type).toBe('list')
    const rows = menu!.action.sections!.flatMap((s) => s.rows)
    expect(rows.map((r) => r.title)).toEqual(['Incident', 'Problem', 'Question', 'Task', 'My requests'])

    const forged = reply('list_reply', { id: '1:0', title: 'Incident' })
    expect((await h.meta(forged, 'sha256=' + '0'.repeat(64))).status).toBe(401)
    expect((await h.meta(reply('list_reply', { id: '99:0', title: 'Incident' }))).status).toBe(200)
    expect((await h.meta(reply('list_reply', { id: '1:7', title: 'Nope' }))).status).toBe(200)
    expect((await findTicket(h.db, 1))!.type).toBeNull()

    expect((await h.meta(reply('list_reply', rows[3]!))).status).toBe(200)
    expect((await findTicket(h.db, 1))!.type).toBe('task')
  })
})

describe('the triage menu on Instagram (quick replies)', () => {
  let h: Harness
  afterEach(async () => {
    await h.stop()
  })

  const quickReply = (title: string, payload: string, sender = IG_CUSTOMER) =>
    instagramWebhook({ message: { mid: mid(), text: title, quick_reply: { payload } } }, sender)

  it('sends quick replies; a tapped payload sets the type once; a forged one changes nothing', async () => {
    h = await startHarness({ instagram: true, env: { INTAKE: 'menu' } })
    h.graph.profiles.set(IG_CUSTOMER, { name: 'Grace', username: 'grace' })
    expect((await h.meta(instagramText('Where is my order?'))).status).toBe(200)
    await h.app.outbox.drain()
    const menu = h.graph.sent
      .map(
        (s: Sent) => s.body.message as { text: string; quick_replies?: { title: string; payload: string }[] },
      )
      .find((m) => m.quick_replies !== undefined)!
    expect(menu.text).toBe('What is your request about? Pick one, or just keep writing.')
    expect(menu.quick_replies!.map((q) => q.title)).toEqual([
      'Incident',
      'Problem',
      'Question',
      'Task',
      'My requests',
    ])
    const question = menu.quick_replies![2]!
    expect((await h.meta(quickReply('Incident', '1:9'))).status).toBe(200)
    expect((await h.meta(quickReply('Incident', '1:0', '999999'))).status).toBe(200)
    expect((await findTicket(h.db, 1))!.type).toBeNull()

    const tap = quickReply(question.title, question.payload)
    expect((await h.meta(tap)).status).toBe(200)
    expect((await h.meta(tap)).status).toBe(200)
    expect((await h.meta(quickReply('Task', menu.quick_replies![3]!.payload))).status).toBe(200)
    expect((await findTicket(h.db, 1))!.type).toBe('question')
  })
})
