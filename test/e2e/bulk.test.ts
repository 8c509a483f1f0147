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
import { blockActions, postToSlackEndpoint, slashCommandBody } from '../helpers/slack-requests.js'
import { afterAnswer } from '../helpers/settled.js'

describe('bulk work', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
    for (const [i, name] of ['Ann', 'Bob', 'Cat', 'Dan'].entries()) {
      await h.app.helpdesk.receive(
        inbound(i < 3 ? `spam ${i}` : 'real question', { contact: { externalId: name, displayName: name } }),
      )
    }
    await h.slash('/tag', '1 +spam', AGENT)
    await h.slash('/tag', '2 +spam', AGENT)
    await h.slash('/tag', '3 +spam', AGENT)
    await h.slash('/resolve', '3', AGENT)
  })
  afterEach(async () => {
    await h.stop()
  })

  const confirm = (value: string, user = SUPERVISOR) =>
    h.interact(
      blockActions(user, SUPPORT_CHANNEL, '1.1', { type: 'button', action_id: 'td_bulk_confirm', value }),
    )

  it('shows how many tickets it will touch and changes them only when confirmed', async () => {
    const res = await fetchSlash(h, 'bulk resolve tag:spam status:all')
    expect(res.text).toBe('This will *resolve* on *3 tickets* matching `tag:spam status:all`.')
    expect((await findTicket(h.db, 1))?.status).toBe('new') // nothing yet
    const value = res.blocks?.[1]?.elements?.[0]?.value ?? ''
    await confirm(value)
    await afterAnswer(() =>
      expect(h.slack.callsOf('chat.postEphemeral').at(-1)?.text).toBe(
        'Done: resolve on 2 tickets. Skipped 1: #3 (is already solved).',
      ),
    )
    expect((await findTicket(h.db, 1))?.status).toBe('solved')
    expect((await findTicket(h.db, 4))?.status).toBe('new')
  })

  it('assigns, tags and sets priority in bulk', async () => {
    await confirm(`assign <@${OTHER_AGENT}|o> tag:spam`)
    await afterAnswer(() =>
      expect(h.slack.callsOf('chat.postEphemeral').at(-1)?.text).toBe(
        `Done: assign to <@${OTHER_AGENT}> on 2 tickets.`,
      ),
    )
    await confirm('tag urgent-review channel:telegram')
    await confirm('priority low tag:spam')
    await afterAnswer(async () => expect((await findTicket(h.db, 2))?.priority).toBe('low'))
    const two = await findTicket(h.db, 2)
    expect(two?.assignee_id).not.toBeNull()
    expect(await h.app.fields.tagsOf(4)).toEqual(['urgent-review'])
  })

  it('is for supervisors and admins, and says what it accepts', async () => {
    expect((await fetchSlash(h, 'bulk resolve tag:spam', AGENT)).text).toBe(
      ':warning: Only supervisors and admins do bulk work.',
    )
    expect((await fetchSlash(h, 'bulk delete tag:spam')).text).toContain(
      '`delete` is not a bulk action. Usage:',
    )
    expect((await fetchSlash(h, 'bulk assign tag:spam')).text).toContain('Say what to assign with.')
    // What it names is checked before a Confirm is offered.
    expect((await fetchSlash(h, 'bulk priority bogus tag:spam')).text).toBe(
      ':warning: `bogus` is not a priority; choose low, normal, high, urgent.',
    )
    expect((await fetchSlash(h, `bulk tag ${'x'.repeat(40)} tag:spam`)).text).toBe(
      `:warning: \`${'x'.repeat(40)}\` is not a tag: use lowercase letters, digits, - and _, at most 32.`,
    )
    expect((await fetchSlash(h, 'bulk resolve tag:nothing-like-this')).text).toBe(
      'No tickets match, so there is nothing to do.',
    )
    await confirm('resolve tag:spam', AGENT)
    await afterAnswer(() =>
      expect(h.slack.callsOf('chat.postEphemeral').at(-1)?.text).toBe(
        ':warning: Only supervisors and admins do bulk work.',
      ),
    )
    expect((await findTicket(h.db, 1))?.status).toBe('new')
  })

  it('answers a confirmation it cannot read with what went wrong, and changes nothing', async () => {
    await confirm('{"action":"resolve"')
    await afterAnswer(() =>
      expect(h.slack.callsOf('chat.postEphemeral').at(-1)?.text).toContain('is not a bulk action. Usage:'),
    )
    expect((await findTicket(h.db, 1))?.status).toBe('new')
  })
})

/** A /tickets command's whole ephemeral answer, blocks included. */
async function fetchSlash(h: Harness, text: string, user = SUPERVISOR) {
  const res = await postToSlackEndpoint(
    h.base,
    slashCommandBody('/tickets', text, user),
    'application/x-www-form-urlencoded',
  )
  return (await res.json()) as { text: string; blocks?: { elements?: { value?: string }[] }[] }
}
