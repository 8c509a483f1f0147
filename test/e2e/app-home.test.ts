import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HOME_GAP_MS } from '../../adapters/slack/home-publisher.js'
import { deskUserIdOf } from '../../src/db/repos/agents.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { AGENT, OTHER_AGENT, startHarness, SUPERVISOR, type Harness } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'

describe('App Home', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
    h.clock.set(new Date('2026-11-30T09:00:00Z'))
    for (const [i, name] of ['Ann', 'Bob', 'Cat'].entries())
      await h.app.helpdesk.receive(
        inbound(`Question ${i + 1}`, {
          externalId: `m${i}`,
          contact: { externalId: name, displayName: name },
        }),
      )
    await h.app.helpdesk.assign({ deskUserId: AGENT }, 1, AGENT)
    await h.app.outbox.drain()
    h.clock.advance(2 * 3_600_000)
  })
  afterEach(async () => {
    await h.stop()
  })

  const open = (user: string) =>
    h.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: '1.1' })
  /** The text of every block of the last home tab published for `user`, and its block ids. */
  const lastHome = (user: string) => {
    const call = h.slack
      .callsOf('views.publish')
      .filter((c) => c.user_id === user)
      .at(-1)
    const view = (typeof call?.view === 'string' ? JSON.parse(call.view) : call?.view) as
      { blocks: { block_id?: string; text?: { text: string } }[] } | undefined
    return {
      text: (view?.blocks ?? []).map((b) => b.text?.text ?? '').join('\n'),
      blockIds: (view?.blocks ?? []).flatMap((b) => (b.block_id === undefined ? [] : [b.block_id])),
    }
  }
  const publishes = (user: string) =>
    h.slack.callsOf('views.publish').filter((c) => c.user_id === user).length
  const homeAction = (user: string, action: Record<string, unknown>) =>
    h.interact({
      type: 'block_actions',
      user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: 'trigger.home',
      team: { id: 'T1', domain: 'acme' },
      container: { type: 'view', view_id: 'VH1' },
      view: { id: 'VH1', type: 'home', blocks: [] },
      actions: [{ action_ts: '1.1', ...action }],
    })

  it("shows an agent their tickets linked to threads, their shift and today's figures", async () => {
    await open(AGENT)
    const { text } = lastHome(AGENT)
    expect(text).toContain('*Shift*: you are off shift; no new tickets are assigned to you.')
    expect(text).toContain(
      '*Today, your tickets*: 1 created · 0 solved · first response median – · 0 SLA targets breached',
    )
    expect(text).toContain('*Your tickets that need work*: New 0 · Open 1 · Pending 0 · On hold 0')
    expect(text).toMatch(
      /• <https:\/\/acme\.slack\.com\/archives\/CSUPPORT\/p\d+\|#1> · Open · normal · Telegram · Question 1 — 2 h old/,
    )
    expect(text).not.toContain('The team')
  })

  it('switches the shift from the home tab', async () => {
    await open(AGENT)
    h.clock.advance(HOME_GAP_MS)
    await homeAction(AGENT, { type: 'button', action_id: 'td_home_shift', block_id: 'b', value: 'on' })
    expect(lastHome(AGENT).text).toContain('*Shift*: you are on shift; new tickets can be assigned to you.')
  })

  it('shows a supervisor the team, and assigns from the home tab', async () => {
    await open(SUPERVISOR)
    const home = lastHome(SUPERVISOR)
    expect(home.text).toContain('*Queue*: New 2 · Open 1 · Pending 0 · On hold 0 · *unassigned* 2')
    expect(home.text).toContain('*Unassigned* (2, oldest first)')
    expect(home.blockIds).toEqual(['td_home_assign:2', 'td_home_assign:3'])
    expect(home.text).toContain('*Today, the whole desk*: 3 created')

    await homeAction(SUPERVISOR, {
      type: 'users_select',
      action_id: 'td_home_assign',
      block_id: 'td_home_assign:2',
      selected_user: OTHER_AGENT,
    })
    const assignee = (await findTicket(h.db, 2))?.assignee_id ?? null
    expect(await deskUserIdOf(h.db, assignee)).toBe(OTHER_AGENT)
  })

  it('lists breaches and tickets about to breach', async () => {
    h.clock.advance(2 * 3_600_000) // 4 h: every first response is due (normal: 4 h, always open)
    await open(SUPERVISOR)
    const { text } = lastHome(SUPERVISOR)
    expect(text).toContain('*Breached or about to breach* (3)')
    expect(text).toMatch(
      /#1> · Open · normal · Telegram · Question 1 — 4 h old · :rotating_light: First response breached · <@UAGENT>/,
    )
  })

  it('follows ticket changes, at most once per gap however many there are', async () => {
    await open(SUPERVISOR)
    await open(AGENT)
    expect([publishes(SUPERVISOR), publishes(AGENT)]).toEqual([1, 1])

    // Three changes within the gap: nothing is published yet.
    for (const id of [2, 3]) await h.app.helpdesk.assign({ deskUserId: SUPERVISOR }, id, OTHER_AGENT)
    await h.app.helpdesk.setStatus({ deskUserId: AGENT }, 1, 'pending')
    await h.app.outbox.drain()
    expect([publishes(SUPERVISOR), publishes(AGENT)]).toEqual([1, 1])

    h.clock.advance(HOME_GAP_MS)
    await h.app.home.publishDue()
    expect([publishes(SUPERVISOR), publishes(AGENT)]).toEqual([2, 2])
    expect(lastHome(SUPERVISOR).text).toContain('*unassigned* 0')
    expect(lastHome(AGENT).text).toContain(
      '*Your tickets that need work*: New 0 · Open 0 · Pending 1 · On hold 0',
    )
  })

  it('tells someone who is not an agent what the desk is', async () => {
    await open('USTRANGER')
    expect(lastHome('USTRANGER').text).toBe(
      "This desk is for the support team's agents. An admin can add you with `/agents add @you`.",
    )
    // Their tab does not follow the desk: tickets changing publish nothing more for them.
    await h.app.helpdesk.setStatus({ deskUserId: AGENT }, 1, 'pending')
    await h.app.outbox.drain()
    h.clock.advance(HOME_GAP_MS)
    await h.app.home.publishDue()
    expect(publishes('USTRANGER')).toBe(1)
  })
})
