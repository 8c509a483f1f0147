import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import {
  IG_CUSTOMER,
  INSTAGRAM_ACCOUNT_ID,
  instagramText,
  instagramWebhook,
  mid,
} from '../fixtures/instagram.js'
import { AGENT, startHarness, type Harness } from '../helpers/harness.js'
import { openingOf, sectionsOf } from '../helpers/slack-posts.js'
import { expectLogged } from '../helpers/log.js'
import { afterAnswer } from '../helpers/settled.js'

const DAY = 24 * 3_600_000

describe('Instagram direct messages', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness({ instagram: true })
    h.graph.profiles.set(IG_CUSTOMER, {
      name: 'Ada Lovelace',
      username: 'ada.codes',
      profile_pic: 'https://cdn.example/ada.jpg',
    })
  })
  afterEach(async () => {
    await h.stop()
  })

  async function ticketFromInstagram(text = 'Is the blue one in stock?') {
    expect((await h.meta(instagramText(text))).status).toBe(200)
    await h.app.outbox.drain()
    const ticket = (await findTicket(h.db, 1))!
    h.graph.sent.length = 0
    h.slack.reset()
    return ticket
  }

  it('opens a ticket under the profile name and picture, looked up once per customer', async () => {
    await h.meta(instagramText('Is the blue one in stock?'))
    await h.app.outbox.drain()
    await h.meta(instagramText('Size M please'))
    await h.app.outbox.drain()
    expect(h.graph.lookups).toEqual([IG_CUSTOMER])
    const root = h.slack.callsOf('chat.postMessage').find((p) => p.thread_ts === undefined)
    expect(JSON.stringify(root?.blocks)).toContain('Ada Lovelace (@ada.codes)')
    expect(openingOf(root ?? {})).toBe('Is the blue one in stock?')
    const post = h.slack.callsOf('chat.postMessage').find((p) => p.text === 'Size M please')
    expect(post).toMatchObject({
      username: 'Ada Lovelace (Instagram)',
      icon_url: 'https://cdn.example/ada.jpg',
    })
  })

  it('never lets a failed profile lookup block the ticket, nor replace a name it knew', async () => {
    h.graph.failProfileLookups(true)
    await h.meta(instagramText('Hello?'))
    expect((await findTicket(h.db, 1))?.subject).toBe('Hello?')
    const contact = await h.db.selectFrom('contacts').selectAll().executeTakeFirstOrThrow()
    expect(contact.display_name).toBe('Instagram user 2919')

    h.graph.failProfileLookups(false)
    await h.meta(instagramText('Still there?')) // looked up again: now it works
    h.graph.failProfileLookups(true)
    const after = await h.db.selectFrom('contacts').selectAll().executeTakeFirstOrThrow()
    expect(after.display_name).toBe('Ada Lovelace')
  })

  it('shows attachments, shares, story replies and mentions, edits and unsends as what they are', async () => {
    await ticketFromInstagram()
    const first = mid()
    const photo = h.graph.cdnUrl('p.jpg', { size: 2000, mimeType: 'image/jpeg', seed: 1 })
    for (const item of [
      {
        message: {
          mid: mid(),
          attachments: [{ type: 'image', payload: { url: photo } }],
        },
      },
      {
        message: {
          mid: mid(),
          attachments: [{ type: 'ig_reel', payload: { url: 'https://instagram.com/reel/1' } }],
        },
      },
      {
        message: {
          mid: mid(),
          text: 'love this',
          reply_to: { story: { url: 'https://cdn.example/s', id: '1' } },
        },
      },
      {
        message: {
          mid: mid(),
          attachments: [{ type: 'story_mention', payload: { url: 'https://cdn.example/m' } }],
        },
      },
      { message: { mid: first, text: 'Sise M' } },
      { message_edit: { mid: first, text: 'Size M', num_edit: 1 } },
      { message: { mid: first, is_deleted: true } },
    ]) {
      expect((await h.meta(instagramWebhook(item))).status).toBe(200)
    }
    await h.app.outbox.drain()
    // The photo is followed by its file; the rest, queued together, share one post under the
    // customer's name, one section each.
    const posts = h.slack.callsOf('chat.postMessage')
    expect(posts.map((p) => String(p.text).split('\n')[0])).toEqual([
      '_[photo]_',
      '_[shared a post]_ https://instagram.com/reel/1',
    ])
    expect(h.slack.uploads).toHaveLength(1)
    expect(sectionsOf(posts[1]!)).toEqual([
      '_[shared a post]_ https://instagram.com/reel/1',
      '_[replied to your story]_ love this',
      '_[mentioned you in a story]_ https://cdn.example/m',
      'Sise M',
      '_[edited a message]_ Size M',
      '_[unsent a message]_',
    ])
  })

  it('ignores echoes of its own sends, and stores a redelivered message once', async () => {
    const echo = instagramWebhook(
      { message: { mid: mid(), text: 'our reply', is_echo: true } },
      INSTAGRAM_ACCOUNT_ID,
    )
    expect((await h.meta(echo)).status).toBe(200)
    expect(await findTicket(h.db, 1)).toBeUndefined()
    const twice = instagramText('only once')
    await h.meta(twice)
    await h.meta(twice)
    expect((await messagesOf(h.db, 1)).filter((m) => m.direction === 'inbound')).toHaveLength(1)
  })

  it('refuses a forged signature with 401 and a malformed body with 400', async () => {
    expect((await h.meta(instagramText('forged'), 'sha256=deadbeef')).status).toBe(401)
    expect((await h.meta('{"object":"instagram","entry":[')).status).toBe(400)
    expect(await findTicket(h.db, 1)).toBeUndefined()
  })

  it('replies within 24 h plainly, up to 7 days with the HUMAN_AGENT tag, and refuses after that in Slack', async () => {
    const ticket = await ticketFromInstagram()
    await h.slash('/reply', `${ticket.id} In stock!`, AGENT)
    await h.app.outbox.drain() // the tag is decided when the message goes out
    h.clock.advance(3 * DAY)
    await h.slash('/reply', `${ticket.id} Still want it?`, AGENT)
    await h.app.outbox.drain()
    expect(h.graph.sent.map((s) => [s.path, s.body])).toEqual([
      [
        `/v21.0/${INSTAGRAM_ACCOUNT_ID}/messages`,
        { recipient: { id: IG_CUSTOMER }, message: { text: 'In stock!' }, messaging_type: 'RESPONSE' },
      ],
      [
        `/v21.0/${INSTAGRAM_ACCOUNT_ID}/messages`,
        {
          recipient: { id: IG_CUSTOMER },
          message: { text: 'Still want it?' },
          messaging_type: 'MESSAGE_TAG',
          tag: 'HUMAN_AGENT',
        },
      ],
    ])
    expect(h.graph.sent[0]?.authorization).toBe('Bearer IGAA-test-token')

    h.clock.advance(5 * DAY)
    await h.threadReply(ticket.thread_ts!, AGENT, 'Hello?')
    await afterAnswer(() =>
      expect(String(h.slack.callsOf('chat.postEphemeral').at(-1)?.text)).toBe(
        ":warning: Instagram accepts free-form replies only within 7 days of the customer's last message, so nothing was sent.",
      ),
    )
  })

  it('says in the thread why Instagram refused a reply', async () => {
    expectLogged('delivery failed for good', { err: 'this Instagram user cannot receive messages right now' })
    const ticket = await ticketFromInstagram()
    h.graph.failNext({ status: 400, code: 551, message: "This person isn't available right now." })
    await h.slash('/reply', `${ticket.id} hello`, AGENT)
    await h.app.outbox.drain()
    expect(String(h.slack.callsOf('chat.postMessage').at(-1)?.text)).toBe(
      ':warning: A message to the customer could not be delivered: this Instagram user cannot receive messages right now',
    )
  })
})
