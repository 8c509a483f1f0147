import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventsOf } from '../../src/db/repos/events.js'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { BOT_ID, BOT_USER_ID } from '../fakes/slack-api.js'
import {
  AGENT,
  OTHER_AGENT,
  startHarness,
  SUPERVISOR,
  SUPPORT_CHANNEL,
  type Harness,
} from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'
import {
  blockActions,
  eventEnvelope,
  messageShortcut,
  newTs,
  postToSlackEndpoint,
  slashCommandBody,
  viewSubmission,
} from '../helpers/slack-requests.js'
import { afterAnswer } from '../helpers/settled.js'

describe('the Slack desk', () => {
  let h: Harness
  let ticket: { id: number; threadTs: string }

  beforeEach(async () => {
    h = await startHarness()
    const { ticketId } = await h.app.helpdesk.receive(inbound('My order never arrived'))
    await h.app.outbox.drain()
    const row = await findTicket(h.db, ticketId!)
    ticket = { id: row!.id, threadTs: row!.thread_ts! }
    h.slack.reset()
    h.telegram.sent.length = 0
  })
  afterEach(async () => {
    await h.stop()
  })

  /** Waits until Bolt's listener has done its work, then delivers what it queued. */
  async function settle(check: () => Promise<unknown>) {
    await afterAnswer(async () => expect(await check()).toBeTruthy())
    await h.app.outbox.drain()
  }
  const events = () => eventsOf(h.db, ticket.id)
  const status = async () => (await findTicket(h.db, ticket.id))?.status
  const lastEphemeral = () => h.slack.callsOf('chat.postEphemeral').at(-1)

  describe('in the thread', () => {
    it('keeps a note: reply private: stored, never sent', async () => {
      await h.threadReply(ticket.threadTs, AGENT, 'note: customer is a VIP, be quick')
      await settle(async () => (await messagesOf(h.db, ticket.id)).some((m) => m.direction === 'note'))
      const note = (await messagesOf(h.db, ticket.id)).find((m) => m.direction === 'note')
      expect(note?.text).toBe('customer is a VIP, be quick')
      expect(h.telegram.sent).toEqual([])
    })

    it('resolves with !resolve, never sends the command, and updates the root message', async () => {
      await h.threadReply(ticket.threadTs, AGENT, '!resolve')
      await settle(async () => (await status()) === 'solved')
      expect(h.telegram.sent).toEqual([])
      expect(lastEphemeral()).toMatchObject({
        user: AGENT,
        thread_ts: ticket.threadTs,
        text: `Ticket #${ticket.id} is now solved.`,
      })
      const update = h.slack.callsOf('chat.update').at(-1)
      expect(update).toMatchObject({ channel: SUPPORT_CHANNEL, ts: ticket.threadTs })
      expect(JSON.stringify(update?.blocks)).toContain('Solved')
      expect(JSON.stringify(update?.blocks)).toContain('Reopen')
    })

    it('takes the ticket with !take and explains an unknown !command without sending it', async () => {
      await h.threadReply(ticket.threadTs, AGENT, '!take')
      await settle(async () => (await findTicket(h.db, ticket.id))?.assignee_id !== null)
      await h.threadReply(ticket.threadTs, AGENT, '!frobnicate now')
      await afterAnswer(() => expect(lastEphemeral()?.text).toContain('`!frobnicate` is not a command'))
      await h.app.outbox.drain()
      expect(h.telegram.sent).toEqual([])
    })

    it('answers !help with what works in the thread, marking what reaches the customer', async () => {
      await h.threadReply(ticket.threadTs, AGENT, '!help')
      await afterAnswer(() => expect(lastEphemeral()?.text).toContain('`!history`'))
      const help = String(lastEphemeral()?.text)
      expect(help).toContain(
        '• `!reply TEXT|:CANNED` — Send TEXT, or a canned reply, to the customer; with the ticket alone, a form to attach files · *sends to the customer*',
      )
      expect(help).toContain('• `!note TEXT` — Add a private note\n')
      await h.app.outbox.drain()
      expect(h.telegram.sent).toEqual([])
    })

    it('tells the agent why a thread command is refused', async () => {
      await h.threadReply(ticket.threadTs, AGENT, `!assign <@${OTHER_AGENT}>`)
      await afterAnswer(() => expect(lastEphemeral()?.text).toContain('Only supervisors and admins'))
      expect((await findTicket(h.db, ticket.id))?.assignee_id).toBeNull()
    })

    it("unescapes Slack's formatting before the customer sees it", async () => {
      await h.threadReply(ticket.threadTs, AGENT, 'See <https://acme.com/track|tracking> &lt;3 &amp; thanks')
      await settle(async () => (await messagesOf(h.db, ticket.id)).some((m) => m.agent_id !== null))
      expect(h.telegram.sent.at(-1)?.text).toBe('See tracking (https://acme.com/track) <3 & thanks')
    })

    it('tells an agent that a reply with a file Slack did not share with the app was not sent', async () => {
      await h.event({
        type: 'message',
        subtype: 'file_share',
        channel: SUPPORT_CHANNEL,
        user: AGENT,
        text: 'here is the label',
        files: [{ id: 'F1', name: 'label.pdf' }],
        ts: newTs(),
        thread_ts: ticket.threadTs,
      })
      await afterAnswer(() =>
        expect(lastEphemeral()?.text).toBe(
          ':warning: Nothing of that message was sent: Slack did not share label.pdf with the app.',
        ),
      )
      await h.app.outbox.drain()
      expect(h.telegram.sent).toEqual([])
    })

    it("ignores the bot's own posts, other threads and Slack's retries of handled events", async () => {
      await h.event({
        type: 'message',
        channel: SUPPORT_CHANNEL,
        bot_id: BOT_ID,
        subtype: 'bot_message',
        text: 'echo',
        ts: newTs(),
        thread_ts: ticket.threadTs,
      })
      await h.threadReply('1700000000.000001', AGENT, 'a thread that is no ticket')
      // Slack's retry, and the same message under another event id: acted on once.
      const ts = newTs()
      await h.threadReply(ticket.threadTs, AGENT, 'Once only', { eventId: 'EvOnce', ts })
      await h.threadReply(ticket.threadTs, AGENT, 'Once only', { eventId: 'EvOnce', retryNum: 1, ts })
      await h.threadReply(ticket.threadTs, AGENT, 'Once only', { eventId: 'EvOther', ts })
      await settle(async () => (await messagesOf(h.db, ticket.id)).some((m) => m.text === 'Once only'))
      await new Promise((r) => setImmediate(r))
      const outbound = (await messagesOf(h.db, ticket.id)).filter(
        (m) => m.direction === 'outbound' && m.agent_id !== null,
      )
      expect(outbound.map((m) => m.text)).toEqual(['Once only'])
      expect(h.telegram.sent.map((m) => m.text)).toEqual(['Once only'])
    })

    it('asks Slack again for a reply under a root of ours whose ticket is not recorded yet, and only then', async () => {
      const secondsAgo = (s: number) => `${Math.floor(h.clock.now().getTime() / 1000) - s}.000100`
      const under = (threadTs: string, retryNum?: number) =>
        h.event(
          {
            type: 'message',
            channel: SUPPORT_CHANNEL,
            channel_type: 'channel',
            user: AGENT,
            text: 'Thanks, on it',
            ts: newTs(),
            thread_ts: threadTs,
            parent_user_id: BOT_USER_ID,
          },
          retryNum === undefined ? undefined : { retryNum },
        )
      const before = (await messagesOf(h.db, ticket.id)).length
      // Posted a moment ago, maybe by another replica that has not committed it: Slack sends it again.
      expect((await under(secondsAgo(5))).status).toBeGreaterThanOrEqual(500)
      // Slack's last retry, an old root, or a root that is not ours: no ticket's thread, nothing asked.
      expect((await under(secondsAgo(5), 3)).status).toBe(200)
      expect((await under(secondsAgo(600))).status).toBe(200)
      const notOurs = await h.threadReply(secondsAgo(5), AGENT, 'a colleague’s thread')
      expect(notOurs.status).toBe(200)
      expect(await messagesOf(h.db, ticket.id)).toHaveLength(before)
    })
  })

  describe('slash commands', () => {
    it('/resolve 42 solves the ticket, records who did it and updates the root', async () => {
      const answer = await h.slash('/resolve', String(ticket.id), AGENT)
      expect(answer).toBe(`Ticket #${ticket.id} is now solved.`)
      expect(await status()).toBe('solved')
      expect((await events()).at(-1)).toMatchObject({
        action: 'status',
        from_value: 'new',
        to_value: 'solved',
      })
      await h.app.outbox.drain()
      expect(JSON.stringify(h.slack.callsOf('chat.update').at(-1)?.blocks)).toContain('Solved')
    })

    it('/assign by an agent who is not a supervisor is refused; a supervisor may', async () => {
      const refused = await h.slash('/assign', `${ticket.id} <@${OTHER_AGENT}|other>`, AGENT)
      expect(refused).toContain('Only supervisors and admins can assign a ticket to someone else')
      expect((await findTicket(h.db, ticket.id))?.assignee_id).toBeNull()

      const done = await h.slash('/assign', `#${ticket.id} <@${OTHER_AGENT}|other>`, SUPERVISOR)
      expect(done).toBe(`Ticket #${ticket.id} is now assigned to <@${OTHER_AGENT}>.`)
      expect(await status()).toBe('open')
    })

    it('/reply sends to the customer and echoes into the thread; /note stays inside', async () => {
      await h.slash('/reply', `${ticket.id} Your refund is on its way`, AGENT)
      await h.slash('/note', `${ticket.id} refund id R-77`, AGENT)
      await h.app.outbox.drain()
      expect(h.telegram.sent.map((m) => m.text)).toEqual(['Your refund is on its way'])
      const threadPosts = h.slack.callsOf('chat.postMessage').filter((p) => p.thread_ts === ticket.threadTs)
      expect(threadPosts.map((p) => String(p.text))).toEqual([
        expect.stringContaining('Your refund is on its way'),
        expect.stringContaining('refund id R-77'),
      ])
    })

    it('answers bad input with what to do', async () => {
      expect(await h.slash('/resolve', '', AGENT)).toContain('Which ticket? Usage: `/resolve 42`')
      expect(await h.slash('/resolve', 'abc', AGENT)).toContain('`abc` is not a ticket number')
      expect(await h.slash('/resolve', '999', AGENT)).toContain('Ticket #999 does not exist.')
      expect(await h.slash('/assign', `${ticket.id} @bob`, SUPERVISOR)).toContain(
        "pick the person from Slack's @ list",
      )
      expect(await h.slash('/reply', `${ticket.id} :nope`, AGENT)).toContain(
        'There is no canned reply `:nope`',
      )
      expect(await h.slash('/ticket', 'frob 1', AGENT)).toContain('`frob` is not a command')
      const help = await h.slash('/ticket', 'help', AGENT)
      expect(help).toContain('`/resolve 42`')
      expect(help).toContain('`/tickets bulk resolve [filters]`')
      expect(help).toContain('`/canned add NAME TEXT`')
    })

    it('/ticket 42 shows the ticket with a link to its thread; /ticket pending 42 works like /pending 42', async () => {
      const shown = await h.slash('/ticket', String(ticket.id), AGENT)
      expect(shown).toContain(`*#${ticket.id}*`)
      expect(shown).toContain(`/archives/${SUPPORT_CHANNEL}/p`)
      expect(await h.slash('/ticket', `pending ${ticket.id}`, AGENT)).toBe(
        `Ticket #${ticket.id} is now pending.`,
      )
    })
  })

  describe('buttons, shortcuts and modals', () => {
    it('the Resolve message shortcut solves the ticket of the thread it is used in', async () => {
      const res = await h.interact(
        messageShortcut(AGENT, SUPPORT_CHANNEL, 'td_resolve_message', {
          user: 'UCUST',
          ts: '1763890000.999999',
          thread_ts: ticket.threadTs,
          text: 'hi',
        }),
      )
      expect(res.status).toBe(200)
      await settle(async () => (await status()) === 'solved')
      expect((await events()).at(-1)).toMatchObject({ action: 'status', to_value: 'solved' })
      expect(lastEphemeral()).toMatchObject({
        thread_ts: ticket.threadTs,
        text: `Ticket #${ticket.id} is now solved.`,
      })
      expect(h.slack.callsOf('chat.update').at(-1)).toMatchObject({ ts: ticket.threadTs })
    })

    it('the Assign to me button takes the ticket', async () => {
      await h.interact(
        blockActions(AGENT, SUPPORT_CHANNEL, ticket.threadTs, {
          type: 'button',
          action_id: 'td_take',
          value: String(ticket.id),
        }),
      )
      await settle(async () => (await findTicket(h.db, ticket.id))?.assignee_id !== null)
      expect(lastEphemeral()?.text).toBe(`Ticket #${ticket.id} is now assigned to you.`)
    })

    it('the Assign… shortcut opens a people picker, and its modal assigns for a supervisor only', async () => {
      await h.interact(
        messageShortcut(AGENT, SUPPORT_CHANNEL, 'td_assign_message', {
          user: 'UBOT',
          ts: ticket.threadTs,
          text: 'root',
        }),
      )
      await afterAnswer(() => expect(h.slack.callsOf('views.open')).toHaveLength(1))
      const opened = h.slack.callsOf('views.open')[0]!
      expect(opened.trigger_id).toBe('trigger.td_assign_message') // the shortcut's own trigger opens the modal
      const view = opened.view as { callback_id: string; private_metadata: string }
      expect(view.callback_id).toBe('td_assign_modal')

      const submit = (by: string) =>
        h.interact(
          viewSubmission(by, view, {
            assignee: { user: { type: 'users_select', selected_user: OTHER_AGENT } },
          }),
        )
      const refused = (await (await submit(AGENT)).json()) as { errors: { assignee: string } }
      expect(refused.errors.assignee).toContain('Only supervisors and admins')
      expect((await submit(SUPERVISOR)).status).toBe(200)
      const assigned = (await events()).filter((e) => e.action === 'assigned')
      expect(assigned.map((e) => e.to_value)).toEqual([OTHER_AGENT])
    })

    it('the Private note modal stores a note and shows a refusal on the field', async () => {
      const submit = (ticketId: number, value: string) =>
        h.interact(
          viewSubmission(
            AGENT,
            {
              callback_id: 'td_note_modal',
              private_metadata: JSON.stringify({
                ticketId,
                channel: SUPPORT_CHANNEL,
                threadTs: ticket.threadTs,
              }),
            },
            { note: { text: { type: 'plain_text_input', value } } },
          ),
        )
      const ok = await submit(ticket.id, 'checked the warehouse')
      expect(ok.status).toBe(200)
      expect(
        (await messagesOf(h.db, ticket.id)).some(
          (m) => m.direction === 'note' && m.text === 'checked the warehouse',
        ),
      ).toBe(true)
      const refused = await submit(999, 'lost')
      expect(await refused.json()).toEqual({
        response_action: 'errors',
        errors: { note: ':warning: Ticket #999 does not exist.' },
      })
      const unreadable = await h.interact(
        viewSubmission(
          AGENT,
          { callback_id: 'td_note_modal', private_metadata: 'not json' },
          { note: { text: { type: 'plain_text_input', value: 'lost too' } } },
        ),
      )
      expect(await unreadable.json()).toEqual({
        response_action: 'errors',
        errors: { note: 'This form is out of date: open it again.' },
      })
      expect((await messagesOf(h.db, ticket.id)).filter((m) => m.text.startsWith('lost'))).toEqual([])
    })
  })

  describe('requests not from Slack', () => {
    it('answers 401 to a forged, stale or future-dated signature and stores nothing', async () => {
      const body = eventEnvelope({
        type: 'message',
        channel: SUPPORT_CHANNEL,
        user: AGENT,
        text: '!resolve',
        ts: newTs(),
        thread_ts: ticket.threadTs,
      })
      const forged = await postToSlackEndpoint(h.base, body, 'application/json', { secret: 'not-the-secret' })
      const stale = await postToSlackEndpoint(h.base, body, 'application/json', {
        timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
      })
      const ahead = await postToSlackEndpoint(h.base, body, 'application/json', {
        timestamp: Math.floor(Date.now() / 1000) + 6 * 60,
      })
      const command = await postToSlackEndpoint(
        h.base,
        slashCommandBody('/resolve', String(ticket.id), AGENT),
        'application/x-www-form-urlencoded',
        { secret: 'nope' },
      )
      expect([forged.status, stale.status, ahead.status, command.status]).toEqual([401, 401, 401, 401])
      expect(await status()).toBe('new')
    })

    it('answers 400 to a signed body that is not valid, and 401 to one not signed, before reading it', async () => {
      const broken = await postToSlackEndpoint(h.base, '{"type": "event_callback", ', 'application/json')
      const unsigned = await fetch(`${h.base}/slack/events`, { method: 'POST', body: '{}' })
      // The signature is checked before the body is parsed: a stranger's broken JSON is a 401, not a 400.
      const brokenUnsigned = await postToSlackEndpoint(
        h.base,
        '{"type": "event_callback", ',
        'application/json',
        {
          secret: 'not-the-secret',
        },
      )
      expect([broken.status, unsigned.status, brokenUnsigned.status]).toEqual([400, 401, 401])
      expect(await h.slash('/ticket', String(ticket.id), AGENT)).toContain(`#${ticket.id}`) // still serving
    })
  })
})
