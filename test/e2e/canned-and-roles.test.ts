import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findTicket } from '../../src/db/repos/tickets.js'
import {
  AGENT,
  OTHER_AGENT,
  startHarness,
  SUPERVISOR,
  SUPPORT_CHANNEL,
  type Harness,
} from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'
import { blockActions, viewSubmission } from '../helpers/slack-requests.js'
import { afterAnswer } from '../helpers/settled.js'

const ADMIN = 'UADMIN'

describe('canned replies and roles', () => {
  let h: Harness
  let ticket: { id: number; threadTs: string }

  beforeEach(async () => {
    h = await startHarness({ env: { SLACK_ADMINS: ADMIN } })
    const { ticketId } = await h.app.helpdesk.receive(inbound('Can I get a refund?'))
    await h.app.outbox.drain()
    const row = (await findTicket(h.db, ticketId!))!
    ticket = { id: row.id, threadTs: row.thread_ts! }
    h.telegram.sent.length = 0
  })
  afterEach(async () => {
    await h.stop()
  })

  describe('canned replies', () => {
    const add = (text: string, by = ADMIN) => h.slash('/canned', `add refund ${text}`, by)

    it('are kept by admins and used by anyone, with their variables filled in', async () => {
      expect(
        await add(
          'Hi {{customer.name}}, {{agent.name}} here: your refund for #{{ticket.number}} is on its way.',
        ),
      ).toBe('Canned reply `:refund` saved.')
      expect(await h.slash('/canned', 'list', AGENT)).toContain('`:refund` — Hi {{customer.name}}')
      expect(await h.slash('/reply', `${ticket.id} :refund`, AGENT)).toBe(
        `Reply queued for the customer of ticket #${ticket.id}.`,
      )
      await h.threadReply(ticket.threadTs, OTHER_AGENT, ':refund')
      await afterAnswer(async () => {
        await h.app.outbox.drain()
        expect(h.telegram.sent).toHaveLength(2)
      })
      expect(h.telegram.sent.map((s) => s.text)).toEqual([
        `Hi Ada Lovelace, Maria here: your refund for #${ticket.id} is on its way.`,
        `Hi Ada Lovelace, Maria here: your refund for #${ticket.id} is on its way.`,
      ])
    })

    it('refuse an unknown variable when saved, and an unknown name before anything is sent', async () => {
      expect(await add('Dear {{customer.first_name}}')).toBe(
        ':warning: Unknown variable {{customer.first_name}}; use {{customer.name}}, {{ticket.number}}, {{agent.name}}.',
      )
      expect(await h.slash('/reply', `${ticket.id} :nope`, AGENT)).toBe(
        ':warning: There is no canned reply `:nope`; `/canned list` shows them. Nothing was sent.',
      )
      await h.app.outbox.drain()
      expect(h.telegram.sent).toEqual([])
    })

    it('are changed by admins only', async () => {
      expect(await add('Sure!', SUPERVISOR)).toBe(':warning: Only admins change the team’s canned replies.')
      await add('Sure!')
      expect(await h.slash('/canned', 'remove refund', AGENT)).toBe(
        ':warning: Only admins change the team’s canned replies.',
      )
      expect(await h.slash('/canned', 'remove refund', ADMIN)).toBe('Canned reply `:refund` removed.')
      expect(await h.slash('/canned', 'remove refund', ADMIN)).toBe(
        ':warning: There is no canned reply `:refund`.',
      )
    })

    it('can be picked from the root message', async () => {
      await add('Your refund is on its way.')
      await h.interact(
        blockActions(AGENT, SUPPORT_CHANNEL, ticket.threadTs, {
          type: 'button',
          action_id: 'td_canned',
          value: String(ticket.id),
        }),
      )
      await afterAnswer(() => expect(h.slack.callsOf('views.open')).toHaveLength(1))
      const view = h.slack.callsOf('views.open')[0]!.view as { callback_id: string; private_metadata: string }
      expect(JSON.stringify(view)).toContain(':refund')
      const submitted = await h.interact(
        viewSubmission(AGENT, view, {
          canned: { name: { type: 'static_select', selected_option: { value: 'refund' } } },
        }),
      )
      expect(submitted.status).toBe(200)
      await h.app.outbox.drain()
      expect(h.telegram.sent.map((s) => s.text)).toEqual(['Your refund is on its way.'])
    })
  })

  describe('roles', () => {
    it('are listed for everyone and changed by admins, who can make supervisors', async () => {
      expect(await h.slash('/agents', 'add <@UNEW|new> supervisor', AGENT)).toBe(
        ':warning: Only admins change roles. `/agents list` shows who they are.',
      )
      expect(await h.slash('/agents', 'add <@UNEW|new> supervisor', ADMIN)).toBe(
        '<@UNEW> is now a supervisor.',
      )
      expect(await h.slash('/agents', 'add <@UNEW> supervisor', ADMIN)).toBe(
        ':warning: <@UNEW> is already a supervisor.',
      )
      // The new supervisor may now assign others.
      expect(await h.slash('/assign', `${ticket.id} <@${AGENT}>`, 'UNEW')).toBe(
        `Ticket #${ticket.id} is now assigned to <@${AGENT}>.`,
      )
      expect(await h.slash('/assign', `${ticket.id} <@${AGENT}>`, 'UNEW')).toBe(
        `:warning: Ticket #${ticket.id} is already assigned to <@${AGENT}>.`,
      )
      const list = await h.slash('/agents', 'list', AGENT)
      expect(list.split('\n').slice(0, 3)).toEqual([
        '*Agents*',
        `• <@${ADMIN}> — admin`,
        `• <@UNEW> — supervisor`,
      ])
      // Removing takes access away: the next command is refused, and nothing changes.
      expect(await h.slash('/agents', 'remove <@UNEW>', ADMIN)).toBe(
        '<@UNEW> can no longer work tickets. `/agents add` gives access back.',
      )
      expect(await h.slash('/agents', 'remove <@UNEW>', ADMIN)).toBe(
        ':warning: <@UNEW> has no access to take away.',
      )
      expect(await h.slash('/assign', `${ticket.id} <@${ADMIN}>`, 'UNEW')).toContain('only the support team')
      expect(await h.slash('/agents', 'list', ADMIN)).not.toContain('UNEW')
      expect(await h.slash('/agents', 'add <@UNEW> agent', ADMIN)).toBe('<@UNEW> is now an agent.')
      expect(await h.slash('/agents', 'list', ADMIN)).toContain('• <@UNEW> — agent')
    })

    it('keep the last admin, and say what they accept', async () => {
      expect(await h.slash('/agents', `remove <@${ADMIN}>`, ADMIN)).toBe(
        ':warning: That is the last admin; make someone else admin first.',
      )
      expect(await h.slash('/agents', 'add <@UNEW> boss', ADMIN)).toBe(
        ':warning: `boss` is not a role; choose agent, supervisor, admin.',
      )
      expect(await h.slash('/agents', 'add bob admin', ADMIN)).toContain('Use `/agents list`')
    })
  })
})
