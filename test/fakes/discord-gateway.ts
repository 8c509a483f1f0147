import type { Client } from 'discord.js'
import type { DiscordGateway } from '../../adapters/discord/client.js'
import { createDiscordClient } from '../../adapters/discord/client.js'

/**
 * A real discord.js Client that never dials the gateway: tests hand it gateway dispatches,
 * which it turns into the same Message objects and events a live connection would.
 */
export async function fakeGateway(opts: { apiUrl: string; token: string; guildChannel?: boolean }) {
  const client = (await createDiscordClient({
    apiUrl: opts.apiUrl,
    guildChannel: opts.guildChannel ?? false,
  })) as Client
  client.rest.setToken(opts.token)
  const internals = client as unknown as {
    actions: {
      MessageCreate: { handle(data: unknown): void }
      InteractionCreate: { handle(data: unknown): void }
    }
    guilds: { _add(data: unknown): unknown }
  }
  const gateway: DiscordGateway = {
    on: ((event: string, listener: (...args: unknown[]) => void) =>
      client.on(event, listener)) as DiscordGateway['on'],
    login: () => Promise.resolve('logged in'),
    destroy: () => client.destroy(),
    rest: client.rest,
  }
  return {
    gateway,
    /** A GUILD_CREATE dispatch: the server and its channels, as a connection's start delivers them. */
    guildCreate: (guild: { id: string; channels: { id: string; name: string }[] }) =>
      internals.guilds._add({
        id: guild.id,
        name: 'Acme',
        channels: guild.channels.map((c) => ({ ...c, type: 0, guild_id: guild.id })),
        roles: [],
        members: [],
        emojis: [],
        features: [],
      }),
    /** A MESSAGE_CREATE dispatch, as the gateway would deliver it. */
    dispatch: (data: unknown) => internals.actions.MessageCreate.handle(data),
    /** An INTERACTION_CREATE dispatch (a button pressed), as the gateway would deliver it. */
    interact: (data: unknown) => internals.actions.InteractionCreate.handle(data),
    emit: (event: string, ...args: unknown[]) => client.emit(event, ...(args as [])),
  }
}
