import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDiscordAdapter } from '../../adapters/discord/index.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { buttonPress, messageCreate, startFakeDiscord, type FakeDiscord } from '../fakes/discord-api.js'
import { fakeGateway } from '../fakes/discord-gateway.js'
import { startHarness, type Harness } from '../helpers/harness.js'
import { testLog } from '../helpers/log.js'
import { watchHost } from '../helpers/watched-host.js'

const TOKEN = 'discord-test-token'

type Row = { components: { label: string; custom_id: string }[] }

describe('the triage menu on Discord (message components)', () => {
  let h: Harness
  let discord: FakeDiscord
  let gateway: Awaited<ReturnType<typeof fakeGateway>>
  let host: ReturnType<typeof watchHost>

  beforeEach(async () => {
    discord = await startFakeDiscord(TOKEN)
    gateway = await fakeGateway({ apiUrl: discord.apiUrl, token: TOKEN })
    host = watchHost(
      createDiscordAdapter({
        createClient: () => Promise.resolve(gateway.gateway),
        token: TOKEN,
        log: testLog(),
      }),
    )
    h = await startHarness({
      env: { INTAKE: 'menu' },
      app: { channels: { adapters: [host.adapter], routes: [] } },
    })
  })
  afterEach(async () => {
    await h.stop()
    await discord.close()
  })

  it('shows buttons; a press is acknowledged at once, sets the type once, and the menu then shows the choice', async () => {
    gateway.dispatch(messageCreate({ content: 'I cannot log in' }))
    await host.received.reach(1)
    await h.app.outbox.drain()
    const menuIndex = discord.sent.findIndex((m) => m.components !== undefined)
    const menu = discord.sent[menuIndex]!
    expect(menu.content).toBe('What is your request about? Pick one, or just keep writing.')
    const buttons = (menu.components as Row[]).flatMap((r) => r.components)
    expect(buttons.map((b) => b.label)).toEqual(['Incident', 'Problem', 'Question', 'Task', 'My requests'])
    // The fake numbers the messages it accepts in order.
    const where = { id: String(1300000000000000000n + BigInt(menuIndex + 1)), channelId: menu.channelId }

    const pressed = Date.now()
    gateway.interact(buttonPress(buttons[1]!.custom_id, where))
    await host.received.reach(2)
    // Acknowledged well within Discord's 3 s, with a deferred update: no new message.
    await expect.poll(() => discord.callbacks).toHaveLength(1)
    expect(discord.callbacks[0]!.type).toBe(6)
    expect(discord.callbacks[0]!.at - pressed).toBeLessThan(3000)
    await h.app.outbox.drain()
    expect((await findTicket(h.db, 1))!.type).toBe('problem')
    expect(discord.edits).toEqual([
      { channelId: where.channelId, messageId: where.id, content: '✓ Problem', components: [] },
    ])

    // Another press on the same menu, and a forged custom id, change nothing.
    gateway.interact(buttonPress(buttons[0]!.custom_id, where))
    gateway.interact(buttonPress('td:1:3', where, '800000000000000777'))
    await host.received.reach(4)
    await h.app.outbox.drain()
    expect((await findTicket(h.db, 1))!.type).toBe('problem')
    expect(discord.edits).toHaveLength(1)
    await expect.poll(() => discord.callbacks).toHaveLength(3)
  })
})
