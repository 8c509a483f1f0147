import { z } from 'zod'
import { baseUrl, optional, settingsPart } from '../../src/config/part.js'
import { defineChannel } from '../channel-module.js'
import { createDiscordClient } from './client.js'
import { checkDiscord } from './doctor.js'

const env = settingsPart({
  env: {
    DISCORD_BOT_TOKEN: optional(z.string()),
    DISCORD_API_URL: baseUrl('the Discord REST base, ending in /api'),
    DISCORD_GUILD_CHANNEL_ID: optional(
      z.string().regex(/^\d+$/, 'must be a channel id (Developer Mode → Copy Channel ID)'),
    ),
  },
  read: (e) =>
    e.DISCORD_BOT_TOKEN === undefined
      ? undefined
      : { token: e.DISCORD_BOT_TOKEN, apiUrl: e.DISCORD_API_URL, guildChannelId: e.DISCORD_GUILD_CHANNEL_ID },
})

/** Discord direct messages, and optionally one server channel, through discord.js. */
export const discord = defineChannel({
  id: 'discord',
  label: 'Discord',
  flavour: 'markdown',
  ...env,
  create: async (settings, ctx) => {
    const { createDiscordAdapter } = await import('./index.js')
    return createDiscordAdapter({
      createClient: () =>
        createDiscordClient({ apiUrl: settings.apiUrl, guildChannel: settings.guildChannelId !== undefined }),
      token: settings.token,
      guildChannelId: settings.guildChannelId,
      log: ctx.log,
    })
  },
  doctor: (settings, ctx) => checkDiscord(settings, ctx),
})
