import { describe, expect, it } from 'vitest'
import { GatewayIntentBits, IntentsBitField, type Client } from 'discord.js'
import { createDiscordClient, type DiscordGateway } from '../../../adapters/discord/client.js'
import { createDiscordAdapter } from '../../../adapters/discord/index.js'
import { testLog } from '../../helpers/log.js'

describe('the discord.js client', () => {
  it('asks for the privileged message-content intent only when a server channel is configured', async () => {
    const intents = async (guildChannel: boolean) => {
      const client = (await createDiscordClient({ apiUrl: 'http://127.0.0.1:9/api', guildChannel })) as Client
      const bits = new IntentsBitField(client.options.intents)
      await client.destroy()
      return bits
    }
    const dmOnly = await intents(false)
    expect(dmOnly.has(GatewayIntentBits.DirectMessages)).toBe(true)
    expect(dmOnly.has(GatewayIntentBits.MessageContent)).toBe(false)
    expect((await intents(true)).has(GatewayIntentBits.MessageContent)).toBe(true)
  })

  it('stops start-up with a clear error when the token is refused', async () => {
    const refusing = {
      on: () => undefined,
      login: () => Promise.reject(new Error('An invalid token was provided.')),
      destroy: () => Promise.resolve(),
      rest: {} as DiscordGateway['rest'],
    } as unknown as DiscordGateway
    const adapter = createDiscordAdapter({
      createClient: () => Promise.resolve(refusing),
      token: 'x',
      log: testLog(),
    })
    const host = {
      receive: () => Promise.resolve(),
      notify: () => Promise.resolve(),
      deliveryStatus: () => Promise.resolve(),
    }
    await expect(adapter.start(host)).rejects.toThrow(
      'Discord login failed: An invalid token was provided. (check DISCORD_BOT_TOKEN)',
    )
  })
})
