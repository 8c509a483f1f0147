import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deliveriesOf } from '../../src/db/repos/deliveries.js'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { AGENT, startHarness, type Harness } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'
import { openingOf } from '../helpers/slack-posts.js'

describe('what a ticket looks like in Slack', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
  })
  afterEach(async () => {
    await h.stop()
  })

  const roots = () => h.slack.callsOf('chat.postMessage').filter((p) => p.thread_ts === undefined)

  it('shows the first message in the root, and still after the root is updated in place', async () => {
    const { ticketId } = await h.app.helpdesk.receive(inbound('My parcel & its <box> are lost'))
    await h.app.outbox.drain()
    expect(roots()).toHaveLength(1)
    expect(openingOf(roots()[0]!)).toBe('My parcel &amp; its &lt;box&gt; are lost')
    const ticket = (await findTicket(h.db, ticketId!))!
    // The message has the root's ts, so what points at the message points at the root.
    const [first] = await messagesOf(h.db, ticketId!)
    expect(first?.desk_ts).toBe(ticket.thread_ts)
    expect((await deliveriesOf(h.db, ticketId!)).every((d) => d.status === 'sent')).toBe(true)

    expect(await h.slash('/assign', `${ticketId} <@${AGENT}>`, AGENT)).toContain('#1')
    await h.slash('/pending', String(ticketId), AGENT)
    await h.app.outbox.drain()
    const updates = h.slack.callsOf('chat.update')
    expect(updates.length).toBeGreaterThan(0)
    for (const update of updates) {
      expect(update.ts).toBe(ticket.thread_ts)
      expect(openingOf(update)).toBe('My parcel &amp; its &lt;box&gt; are lost')
    }
    expect(JSON.stringify(updates.at(-1)?.blocks)).toContain('Pending')
  })

  it('posts a first message too long for the root in the thread, whole', async () => {
    const long = `${'The whole story, line after line. '.repeat(250)}The end.`
    const { ticketId } = await h.app.helpdesk.receive(inbound(long))
    await h.app.outbox.drain()
    expect(openingOf(roots()[0]!)).toBeUndefined()
    expect(JSON.stringify(roots()[0]?.blocks)).toContain('The whole story')
    const inThread = h.slack.callsOf('chat.postMessage').filter((p) => p.thread_ts !== undefined)
    expect(inThread.map((p) => p.text)).toContain(long)
    const ticket = (await findTicket(h.db, ticketId!))!
    const [first] = await messagesOf(h.db, ticketId!)
    expect(first?.desk_ts).not.toBe(ticket.thread_ts)
  })
})
