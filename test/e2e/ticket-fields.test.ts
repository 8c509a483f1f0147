import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventsOf } from '../../src/db/repos/events.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { AGENT, startHarness, SUPPORT_CHANNEL, type Harness } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'
import { blockActions } from '../helpers/slack-requests.js'
import { afterAnswer } from '../helpers/settled.js'

describe('ticket fields: priority, type, tags, topic, history', () => {
  let h: Harness
  let ticket: { id: number; threadTs: string }

  beforeEach(async () => {
    h = await startHarness()
    const { ticketId } = await h.app.helpdesk.receive(inbound('The app crashes on login'))
    await h.app.outbox.drain()
    const row = (await findTicket(h.db, ticketId!))!
    ticket = { id: row.id, threadTs: row.thread_ts! }
    h.slack.reset()
    h.telegram.sent.length = 0
  })
  afterEach(async () => {
    await h.stop()
  })

  const root = async () => {
    await h.app.outbox.drain()
    return JSON.stringify(h.slack.callsOf('chat.update').at(-1)?.blocks)
  }

  it('sets the priority, which shows on the root message and moves the SLA target', async () => {
    const before = (await h.app.fields.history(ticket.id)).length
    expect(await h.slash('/priority', `${ticket.id} urgent`, AGENT)).toBe(
      `Ticket #${ticket.id} priority is now urgent.`,
    )
    const blocks = await root()
    expect(blocks).toContain('*Priority*\\n:red_circle: Urgent')
    // Urgent: first response within 30 minutes of 09:00 UTC.
    expect(blocks).toContain('First response due <!date^')
    expect(blocks).toContain('|2026-11-23T09:30:00.000Z>')
    const history = await h.app.fields.history(ticket.id)
    expect(history.length).toBe(before + 1)
    expect(history.at(-1)).toMatchObject({ action: 'priority', from: 'normal', to: 'urgent', agent: AGENT })
  })

  it('refuses values it does not know, saying which it does', async () => {
    expect(await h.slash('/priority', `${ticket.id} vip`, AGENT)).toBe(
      ':warning: `vip` is not a priority; choose low, normal, high, urgent.',
    )
    expect(await h.slash('/type', `${ticket.id} complaint`, AGENT)).toBe(
      ':warning: `complaint` is not a ticket type; choose incident, problem, question, task.',
    )
    expect(await h.slash('/tag', `${ticket.id} +Not/AllowED`, AGENT)).toContain('is not a tag')
    expect(await h.slash('/priority', '999 high', AGENT)).toBe(':warning: Ticket #999 does not exist.')
  })

  it('sets the type from the thread, and tags and topic from anywhere', async () => {
    await h.threadReply(ticket.threadTs, AGENT, '!type incident')
    await afterAnswer(async () => expect((await findTicket(h.db, ticket.id))?.type).toBe('incident'))
    expect(await h.slash('/tag', `${ticket.id} +ios +login vip`, AGENT)).toBe(
      `Ticket #${ticket.id} tags: +ios +login +vip.`,
    )
    expect(await h.slash('/tag', `${ticket.id} -vip`, AGENT)).toBe(`Ticket #${ticket.id} tags: -vip.`)
    expect(await h.slash('/tag', `${ticket.id} +ios`, AGENT)).toBe(
      `:warning: Ticket #${ticket.id} already has those tags.`,
    )
    expect(await h.slash('/settopic', `${ticket.id} Login crash on iOS 19`, AGENT)).toBe(
      `Ticket #${ticket.id} topic is now Login crash on iOS 19.`,
    )
    const blocks = await root()
    expect(blocks).toContain('*Type*\\nIncident')
    expect(blocks).toContain('*Topic:* Login crash on iOS 19')
    expect(blocks).toContain('*Tags:* `ios` `login`')
    expect(h.telegram.sent).toEqual([]) // none of it reaches the customer
  })

  it('sets priority and type from the pickers on the root message', async () => {
    const pick = (actionId: string, value: string) =>
      h.interact(
        blockActions(AGENT, SUPPORT_CHANNEL, ticket.threadTs, {
          type: 'static_select',
          action_id: actionId,
          block_id: `ticket_${ticket.id}`,
          selected_option: { text: { type: 'plain_text', text: value }, value },
        }),
      )
    // A payload that names no option is answered, and changes nothing.
    await h.interact(
      blockActions(AGENT, SUPPORT_CHANNEL, ticket.threadTs, {
        type: 'static_select',
        action_id: 'td_priority',
        block_id: `ticket_${ticket.id}`,
      }),
    )
    await afterAnswer(() =>
      expect(h.slack.callsOf('chat.postEphemeral').at(-1)?.text).toBe(
        ':warning: No option was picked, so nothing changed.',
      ),
    )
    await pick('td_priority', 'high')
    await pick('td_type', 'problem')
    await afterAnswer(async () =>
      expect(await findTicket(h.db, ticket.id)).toMatchObject({ priority: 'high', type: 'problem' }),
    )
    const blocks = await root()
    expect(blocks).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"Problem"},"value":"problem"}',
    )
  })

  it('/history shows who changed what, from what, to what, when', async () => {
    await h.slash('/take', String(ticket.id), AGENT)
    await h.slash('/priority', `${ticket.id} high`, AGENT)
    await h.slash('/tag', `${ticket.id} +ios`, AGENT)
    await h.slash('/resolve', String(ticket.id), AGENT)
    const text = await h.slash('/history', String(ticket.id), AGENT)
    const lines = text.split('\n')
    expect(lines[0]).toBe(`*History of #${ticket.id}*`)
    expect(lines.slice(1).map((l) => l.split(' · ').slice(1).join(' · '))).toEqual([
      'customer · opened the ticket',
      `<@${AGENT}> · assigned: nobody → <@${AGENT}>`,
      `<@${AGENT}> · status: new → open`,
      `<@${AGENT}> · priority: normal → high`,
      `<@${AGENT}> · added tag \`ios\``,
      `<@${AGENT}> · status: open → solved`,
    ])
    expect(lines[1]).toMatch(/^• <!date\^\d+\^\{date_short\} \{time\}\|2026-11-23T09:00:00.000Z> · /)
  })

  it('keeps a closed ticket as it was', async () => {
    await h.slash('/resolve', String(ticket.id), AGENT)
    await h.app.helpdesk.close(ticket.id)
    expect(await h.slash('/priority', `${ticket.id} high`, AGENT)).toBe(
      `:warning: Ticket #${ticket.id} is closed and cannot change.`,
    )
    expect((await eventsOf(h.db, ticket.id)).some((e) => e.action === 'priority')).toBe(false)
  })
})

describe('/tickets', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
    for (const name of ['Ann', 'Bob']) {
      await h.app.helpdesk.receive(
        inbound(`Help from ${name}`, { contact: { externalId: name, displayName: name } }),
      )
    }
    await h.app.outbox.drain()
  })
  afterEach(async () => {
    await h.stop()
  })

  it('lists the matching tickets with links to their threads', async () => {
    await h.slash('/take', '2', AGENT)
    const mine = await h.slash('/tickets', 'assignee:me', AGENT)
    const thread = (await findTicket(h.db, 2))!.thread_ts!.replace('.', '')
    expect(mine).toBe(
      `• <https://acme.slack.com/archives/${SUPPORT_CHANNEL}/p${thread}|#2> · Open · normal · Telegram · Bob — Help from Bob · <@${AGENT}>`,
    )
    expect((await h.slash('/tickets', '', AGENT)).split('\n')).toHaveLength(2)
    expect(await h.slash('/tickets', 'status:closed', AGENT)).toContain('No tickets match.')
    expect(await h.slash('/tickets', 'priority:extreme', AGENT)).toContain('`extreme` is not a priority')
  })
})
