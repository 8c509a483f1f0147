import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDiscordAdapter } from '../../adapters/discord/index.js'
import { messagesOf } from '../../src/db/repos/messages.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { messageCreate, startFakeDiscord, type FakeDiscord } from '../fakes/discord-api.js'
import { fakeGateway } from '../fakes/discord-gateway.js'
import { AGENT, startHarness, type Harness } from '../helpers/harness.js'
import { openingOf, shownInSlack } from '../helpers/slack-posts.js'
import { expectLogged, testLog } from '../helpers/log.js'
import { afterAnswer } from '../helpers/settled.js'
import { watchHost } from '../helpers/watched-host.js'

const TOKEN = 'discord-test-token'
const SUPPORT_CHANNEL_ID = '1100000000000000099'
const CUSTOMER_ID = '800000000000000001'

describe('Discord direct messages', () => {
  let h: Harness
  let discord: FakeDiscord
  let gateway: Awaited<ReturnType<typeof fakeGateway>>
  let discordHost: ReturnType<typeof watchHost>

  beforeEach(async () => {
    discord = await startFakeDiscord(TOKEN)
    gateway = await fakeGateway({ apiUrl: discord.apiUrl, token: TOKEN, guildChannel: true })
    discordHost = watchHost(
      createDiscordAdapter({
        createClient: () => Promise.resolve(gateway.gateway),
        token: TOKEN,
        guildChannelId: SUPPORT_CHANNEL_ID,
        log: testLog(),
      }),
    )
    h = await startHarness({ app: { channels: { adapters: [discordHost.adapter], routes: [] } } })
  })
  afterEach(async () => {
    await h.stop()
    await discord.close()
  })

  async function ticketFromDiscord(overrides: Record<string, unknown> = {}) {
    gateway.dispatch(messageCreate(overrides))
    await discordHost.received.reach(1)
    await h.app.outbox.drain()
    return (await findTicket(h.db, 1))!
  }

  it("opens a ticket from a DM under the user's display name and confirms it by DM", async () => {
    await ticketFromDiscord({ content: 'My order is stuck' })
    const root = h.slack.callsOf('chat.postMessage').find((p) => p.thread_ts === undefined)
    expect(JSON.stringify(root?.blocks)).toContain('Ada L')
    expect(openingOf(root ?? {})).toBe('My order is stuck')
    // The customer's next message goes in the thread under their name and picture.
    gateway.dispatch(messageCreate({ content: 'Any news?' }))
    await discordHost.received.reach(2)
    await h.app.outbox.drain()
    const post = h.slack.callsOf('chat.postMessage').find((p) => p.text === 'Any news?')
    expect(post?.username).toBe('Ada L (Discord)')
    // No avatar set: Discord's default picture, which depends on the user id.
    expect(post?.icon_url).toMatch(/^https:\/\/cdn\.discordapp\.com\/embed\/avatars\/\d\.png$/)
    expect(discord.opened).toEqual([CUSTOMER_ID])
    expect(discord.sent).toHaveLength(1)
    expect(discord.sent[0]?.content).toContain('#1')
  })

  it('sends thread replies through the real REST client, reusing the DM channel', async () => {
    const ticket = await ticketFromDiscord()
    await h.threadReply(ticket.thread_ts!, AGENT, 'On it!')
    await h.slash('/reply', `${ticket.id} ${'long '.repeat(500)}`, AGENT)
    await afterAnswer(async () =>
      expect((await messagesOf(h.db, 1)).some((m) => m.text === 'On it!')).toBe(true),
    )
    await h.app.outbox.drain()
    expect(discord.opened).toHaveLength(1)
    // The reply is trimmed (2,499 characters) and split at Discord's 2,000-character limit.
    expect(discord.sent.map((s) => s.content.length)).toEqual([expect.any(Number), 6, 2000, 499])
    expect(discord.sent[1]).toEqual({ channelId: `9${CUSTOMER_ID}`, content: 'On it!' })
  })

  it('takes a member’s message in the support channel of a server; ignores bots and other channels', async () => {
    gateway.guildCreate({
      id: '700',
      channels: [
        { id: SUPPORT_CHANNEL_ID, name: 'support' },
        { id: '1100000000000000050', name: 'general' },
      ],
    })
    gateway.dispatch(
      messageCreate({
        author: {
          id: '800000000000000009',
          username: 'somebot',
          bot: true,
          avatar: null,
          discriminator: '0',
        },
      }),
    )
    gateway.dispatch(
      messageCreate({
        channel_type: 0,
        guild_id: '700',
        channel_id: '1100000000000000050',
        content: 'chatter',
      }),
    )
    gateway.dispatch(
      messageCreate({
        channel_type: 0,
        guild_id: '700',
        channel_id: SUPPORT_CHANNEL_ID,
        content: 'Help in #support',
      }),
    )
    // Whatever the adapter passed on is stored, the support channel's message among it.
    await discordHost.received.reach(1)
    await discordHost.idle()
    expect((await messagesOf(h.db, 1)).filter((m) => m.direction === 'inbound').map((m) => m.text)).toEqual([
      'Help in #support',
    ])
  })

  it('shows attachments as what they are', async () => {
    await ticketFromDiscord({
      content: '',
      attachments: [
        {
          id: '9',
          filename: 'receipt.png',
          size: 10,
          url: 'https://cdn/r.png',
          proxy_url: 'x',
          content_type: 'image/png',
        },
      ],
    })
    expect(shownInSlack(h.slack)).toContain('_[photo]_ receipt.png')
  })

  it("honours Discord's rate limit through the outbox, and says why a DM was refused", async () => {
    expectLogged('delivery failed for good', { err: /does not accept direct messages from the bot/ })
    const ticket = await ticketFromDiscord()
    discord.failNext({ status: 429, code: 0, message: 'rate limited', retryAfter: 2 })
    await h.slash('/reply', `${ticket.id} first`, AGENT)
    await h.app.outbox.drain()
    expect(discord.sent.map((s) => s.content)).not.toContain('first')
    h.clock.advance(2_000) // Retry-After is 2 s, and discord.js adds a 50 ms margin
    await h.app.outbox.drain()
    expect(discord.sent.map((s) => s.content)).not.toContain('first')
    h.clock.advance(50)
    await h.app.outbox.drain()
    expect(discord.sent.map((s) => s.content)).toContain('first')

    discord.failNext({ status: 403, code: 50007, message: 'Cannot send messages to this user' })
    await h.slash('/reply', `${ticket.id} second`, AGENT)
    await h.app.outbox.drain()
    expect(String(h.slack.callsOf('chat.postMessage').at(-1)?.text)).toBe(
      ':warning: A message to the customer could not be delivered: this Discord user does not accept direct messages from the bot (privacy settings or no shared server)',
    )
  })

  it('tells the support channel when the connection is lost for good, and when it is back', async () => {
    expectLogged('discord connection lost for good', { code: 4004 })
    gateway.emit('shardDisconnect', { code: 4004 }, 0)
    gateway.emit('clientReady')
    await discordHost.notices.reach(2)
    await h.app.outbox.drain()
    expect(h.slack.callsOf('chat.postMessage').map((p) => String(p.text))).toEqual([
      expect.stringContaining('The Discord connection was lost (close code 4004)'),
      ':white_check_mark: Discord is connected again.',
    ])
  })
})
