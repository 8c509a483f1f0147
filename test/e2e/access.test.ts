import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { REFUSAL } from '../../adapters/slack/guard.js'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { AGENT, startHarness, SUPERVISOR, SUPPORT_CHANNEL, type Harness } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'
import {
  blockActions,
  messageShortcut,
  newTs,
  postToSlackEndpoint,
  viewSubmission,
} from '../helpers/slack-requests.js'

const ADMIN = 'UADMIN'
const GROUP = 'SAGENTS'

/** Who knocks, and whether the desk lets them in. */
const PEOPLE = [
  { who: 'someone the desk does not know', id: 'UNOBODY', acts: false },
  { who: 'a guest in the agent group', id: 'UGUEST', acts: false },
  { who: 'an external (Slack Connect) user in the agent group', id: 'UEXTERN', acts: false },
  { who: 'a member of the agent group', id: 'UGROUPIE', acts: true },
  { who: 'an agent', id: AGENT, acts: true },
  { who: 'a supervisor', id: SUPERVISOR, acts: true },
  { who: 'an admin', id: ADMIN, acts: true },
] as const

describe('only agents act, on every door', () => {
  let h: Harness
  let ticket: { id: number; threadTs: string }

  beforeEach(async () => {
    h = await startHarness({ env: { SLACK_ADMINS: ADMIN, SLACK_AGENT_GROUP: GROUP } })
    h.slack.group(GROUP, ['UGUEST', 'UEXTERN', 'UGROUPIE'])
    h.slack.person('UGUEST', { is_restricted: true })
    h.slack.person('UEXTERN', { team_id: 'TOTHER' })
    const { ticketId } = await h.app.helpdesk.receive(inbound('My order never arrived'))
    await h.app.outbox.drain()
    ticket = { id: ticketId!, threadTs: (await findTicket(h.db, ticketId!))!.thread_ts! }
    h.slack.reset()
    h.telegram.sent.length = 0
  })
  afterEach(async () => {
    await h.stop()
  })

  const refusedPrivately = (user: string) =>
    h.slack.callsOf('chat.postEphemeral').some((c) => c.user === user && c.text === REFUSAL)
  const agentMessages = async () => (await messagesOf(h.db, ticket.id)).filter((m) => m.agent_id !== null)

  describe.each(PEOPLE)('$who', ({ id, acts }) => {
    it(acts ? 'replies in the thread' : 'cannot reply in the thread, and is told so', async () => {
      const res = await h.threadReply(ticket.threadTs, id, 'We are on it')
      expect(res.status).toBe(200)
      await h.app.outbox.drain()
      expect(h.telegram.sent.map((m) => m.text)).toEqual(acts ? ['We are on it'] : [])
      expect((await agentMessages()).length).toBe(acts ? 1 : 0)
      expect(refusedPrivately(id)).toBe(!acts)
    })

    it(
      acts ? 'uses slash commands and lists' : 'gets one refusal from slash commands and lists',
      async () => {
        const reply = await h.slash('/reply', `${ticket.id} Hello from Slack`, id)
        const list = await h.slash('/tickets', '', id)
        const history = await h.slash('/history', String(ticket.id), id)
        if (acts) {
          expect(reply).toContain('Reply queued')
          expect(list).toContain(`#${ticket.id}`)
          expect(history).not.toBe(REFUSAL)
        } else {
          expect([reply, list, history]).toEqual([REFUSAL, REFUSAL, REFUSAL])
          expect(await agentMessages()).toEqual([])
        }
      },
    )

    it(acts ? 'presses buttons' : 'presses a button and nothing changes', async () => {
      const res = await h.interact(
        blockActions(id, SUPPORT_CHANNEL, ticket.threadTs, {
          type: 'button',
          action_id: 'td_resolve',
          value: String(ticket.id),
        }),
      )
      expect(res.status).toBe(200)
      expect((await findTicket(h.db, ticket.id))?.status).toBe(acts ? 'solved' : 'new')
      expect(refusedPrivately(id)).toBe(!acts)
    })

    it(acts ? 'opens a modal from a shortcut' : 'cannot open a modal from a shortcut', async () => {
      await h.interact(
        messageShortcut(id, SUPPORT_CHANNEL, 'td_note_message', {
          user: 'UCUST',
          ts: newTs(),
          thread_ts: ticket.threadTs,
          text: 'hi',
        }),
      )
      expect(h.slack.callsOf('views.open')).toHaveLength(acts ? 1 : 0)
      expect(refusedPrivately(id)).toBe(!acts)
    })

    it(acts ? 'submits a modal' : 'submits a modal and nothing is stored', async () => {
      await h.interact(
        viewSubmission(
          id,
          {
            callback_id: 'td_note_modal',
            private_metadata: JSON.stringify({
              ticketId: ticket.id,
              channel: SUPPORT_CHANNEL,
              threadTs: ticket.threadTs,
            }),
          },
          { note: { text: { type: 'plain_text_input', value: 'secret plan' } } },
        ),
      )
      expect((await agentMessages()).map((m) => m.text)).toEqual(acts ? ['secret plan'] : [])
    })
  })

  it('refuses a signed command that names no one, and does nothing', async () => {
    const command = new URLSearchParams({
      command: '/report',
      text: '7d',
      team_id: 'T1',
      channel_id: SUPPORT_CHANNEL,
      trigger_id: 'trigger.1',
    }).toString()
    const answered = await postToSlackEndpoint(h.base, command, 'application/x-www-form-urlencoded')
    expect(answered.status).toBe(200)
    expect(await answered.text()).toBe('')
    await h.app.outbox.drain()
    expect((await findTicket(h.db, ticket.id))!.status).toBe('new')
    expect(h.slack.callsOf('chat.postEphemeral')).toEqual([])
  })

  it('lets a guest act once an admin adds them by name, and removing takes it away again', async () => {
    expect(await h.slash('/tickets', '', 'UGUEST')).toBe(REFUSAL)
    expect(await h.slash('/agents', 'add <@UGUEST> agent', ADMIN)).toBe('<@UGUEST> is now an agent.')
    expect(await h.slash('/tickets', '', 'UGUEST')).toContain(`#${ticket.id}`)
    await h.slash('/agents', 'remove <@UGUEST>', ADMIN)
    expect(await h.slash('/tickets', '', 'UGUEST')).toBe(REFUSAL)
  })

  it('never lets someone in by giving them a ticket', async () => {
    const notAnAgent = (id: string) =>
      `:warning: <@${id}> is not an agent of the desk, so tickets cannot be assigned to them. An admin can add them: \`/agents add <@${id}> agent\`.`
    expect(await h.slash('/assign', `${ticket.id} <@UNOBODY>`, SUPERVISOR)).toBe(notAnAgent('UNOBODY'))
    expect(await h.slash('/tickets', 'bulk assign <@UGUEST> status:all', SUPERVISOR)).toBe(
      notAnAgent('UGUEST'),
    )
    expect(await h.slash('/resolve', String(ticket.id), 'UNOBODY')).toBe(REFUSAL)
    expect(await h.slash('/tickets', '', 'UGUEST')).toBe(REFUSAL)
    expect((await findTicket(h.db, ticket.id))!).toMatchObject({ status: 'new', assignee_id: null })
    // A member of the agent group is an agent, whether or not they have acted yet.
    expect(await h.slash('/assign', `${ticket.id} <@UGROUPIE>`, SUPERVISOR)).toBe(
      `Ticket #${ticket.id} is now assigned to <@UGROUPIE>.`,
    )
  })

  it('keeps a removed agent out even while they are in the agent group', async () => {
    expect(await h.slash('/tickets', '', 'UGROUPIE')).toContain(`#${ticket.id}`)
    await h.slash('/agents', 'remove <@UGROUPIE>', ADMIN)
    expect(await h.slash('/tickets', '', 'UGROUPIE')).toBe(REFUSAL)
  })
})
