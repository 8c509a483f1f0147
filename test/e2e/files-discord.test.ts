import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDiscordAdapter } from '../../adapters/discord/index.js'
import { attachmentsOfTicket } from '../../src/db/repos/attachments.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { messageCreate, startFakeDiscord, type FakeDiscord } from '../fakes/discord-api.js'
import { fakeGateway } from '../fakes/discord-gateway.js'
import { fakeSha256, type FakeFile } from '../fakes/files.js'
import { AGENT, startHarness, SUPPORT_CHANNEL, type Harness } from '../helpers/harness.js'
import { testLog } from '../helpers/log.js'
import { newTs } from '../helpers/slack-requests.js'
import { watchHost } from '../helpers/watched-host.js'

const TOKEN = 'discord-test-token'
const CUSTOMER_ID = '800000000000000001'
const MB = 1024 * 1024
const file = (size: number, mimeType: string, seed = 1): FakeFile => ({ size, mimeType, seed })

describe('files both ways with a Discord customer', () => {
  let h: Harness
  let discord: FakeDiscord
  let gateway: Awaited<ReturnType<typeof fakeGateway>>
  let discordHost: ReturnType<typeof watchHost>

  beforeEach(async () => {
    discord = await startFakeDiscord(TOKEN)
    gateway = await fakeGateway({ apiUrl: discord.apiUrl, token: TOKEN, guildChannel: false })
    discordHost = watchHost(
      createDiscordAdapter({
        createClient: () => Promise.resolve(gateway.gateway),
        token: TOKEN,
        log: testLog(),
      }),
    )
    h = await startHarness({ app: { channels: { adapters: [discordHost.adapter], routes: [] } } })
  })
  afterEach(async () => {
    await h.stop()
    await discord.close()
  })

  it("brings a customer's attachment from the CDN into the thread", async () => {
    const screenshot = file(70_000, 'image/png', 6)
    const url = discord.attach('111/222/error.png', screenshot)
    gateway.dispatch(
      messageCreate({
        content: 'It shows this',
        attachments: [
          { id: '333', filename: 'error.png', size: 70_000, url, proxy_url: url, content_type: 'image/png' },
        ],
      }),
    )
    await discordHost.received.reach(1)
    await h.app.outbox.drain()
    const ticket = (await findTicket(h.db, 1))!
    expect(h.slack.callsOf('files.getUploadURLExternal').map((c) => c.filename)).toEqual(['error.png'])
    expect(h.slack.uploads.map((u) => u.sha256)).toEqual([fakeSha256(screenshot)])
    expect(h.slack.callsOf('files.completeUploadExternal')[0]?.thread_ts).toBe(ticket.thread_ts)
  })

  it("sends an agent's file to the customer's DMs through discord.js, the reply as its content", async () => {
    gateway.dispatch(messageCreate({ content: 'Where is my receipt?' }))
    await discordHost.received.reach(1)
    await h.app.outbox.drain()
    const ticket = (await findTicket(h.db, 1))!
    const receipt = file(300_000, 'application/pdf', 2)
    await h.event({
      type: 'message',
      subtype: 'file_share',
      channel: SUPPORT_CHANNEL,
      user: AGENT,
      text: 'Here it is',
      ts: newTs(),
      thread_ts: ticket.thread_ts,
      files: [h.slack.addFile('F1', 'receipt.pdf', receipt)],
    })
    await h.app.outbox.drain()
    expect(discord.files).toEqual([
      {
        channelId: `9${CUSTOMER_ID}`,
        payload: { content: 'Here it is', attachments: [{ id: 0, filename: 'receipt.pdf' }] },
        file: { name: 'receipt.pdf', type: 'application/pdf', size: 300_000, sha256: fakeSha256(receipt) },
      },
    ])
    expect((await attachmentsOfTicket(h.db, ticket.id))[0]).toMatchObject({ status: 'delivered' })
  })

  it("refuses in the thread a file over Discord's 10 MB", async () => {
    gateway.dispatch(messageCreate({ content: 'Send the video' }))
    await discordHost.received.reach(1)
    await h.app.outbox.drain()
    const ticket = (await findTicket(h.db, 1))!
    await h.event({
      type: 'message',
      subtype: 'file_share',
      channel: SUPPORT_CHANNEL,
      user: AGENT,
      text: '',
      ts: newTs(),
      thread_ts: ticket.thread_ts,
      files: [h.slack.addFile('F1', 'demo.mp4', file(12 * MB, 'video/mp4'))],
    })
    expect(h.slack.callsOf('chat.postEphemeral').map((p) => p.text)).toEqual([
      ':warning: Nothing of that message was sent: demo.mp4 is 12 MB; Discord takes video files up to 10 MB.',
    ])
    await h.app.outbox.drain()
    expect(discord.files).toEqual([])
  })
})
