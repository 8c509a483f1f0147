import type { REST } from 'discord.js'
import type { DiscordMessage, DiscordTap } from './inbound.js'

/** The slice of a discord.js `Client` the adapter uses: gateway events in, its REST client out. */
export interface DiscordGateway {
  on(event: 'messageCreate', listener: (message: DiscordMessage) => void): unknown
  on(event: 'interactionCreate', listener: (interaction: DiscordTap) => void): unknown
  on(event: 'clientReady' | 'invalidated', listener: () => void): unknown
  on(
    event: 'shardDisconnect',
    listener: (closeEvent: { readonly code: number }, shardId: number) => void,
  ): unknown
  login(token: string): Promise<string>
  destroy(): Promise<void>
  readonly rest: REST
}

/**
 * A real discord.js client: direct messages need the DirectMessages intent and the Channel
 * partial (DM channels are not cached before their first message); a server support channel
 * also needs the privileged MessageContent intent. REST goes to `apiUrl` and rejects on rate
 * limits, so the outbox, not the client, decides when to try again.
 */
export async function createDiscordClient(opts: {
  apiUrl?: string | undefined
  guildChannel: boolean
}): Promise<DiscordGateway> {
  const { Client, GatewayIntentBits, Partials } = await import('discord.js')
  const intents = [GatewayIntentBits.DirectMessages]
  if (opts.guildChannel)
    intents.push(GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent)
  return new Client({
    intents,
    partials: [Partials.Channel],
    rest: {
      rejectOnRateLimit: () => true,
      retries: 0,
      ...(opts.apiUrl !== undefined && { api: opts.apiUrl }),
    },
  })
}
