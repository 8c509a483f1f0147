import { DeskError, describeError } from '../../src/core/errors.js'
import type { Logger } from '../../src/core/logger.js'
import type { ChannelAdapter } from '../../src/core/ports.js'
import type { DiscordGateway } from './client.js'
import { keepStoring } from '../shared/keep-storing.js'
import { tapToInbound, toInbound } from './inbound.js'
import { createDirectMessenger, DISCORD_TEXT_LIMIT, MAX_BUTTONS } from './outbound.js'
import { DISCORD_FILE_TRAITS, fetchDiscordFile, sendDiscordFile } from './files.js'

export interface DiscordOptions {
  readonly createClient: () => Promise<DiscordGateway>
  readonly token: string
  /** A server channel where every member's message is a customer message too. */
  readonly guildChannelId?: string | undefined
  readonly log: Logger
}

/**
 * Discord customers: direct messages to the bot (and, if configured, a server's support channel).
 * Gateway reconnects are discord.js's own; a connection it gives up on is reported to the support
 * channel, and so is its recovery.
 */
export function createDiscordAdapter(opts: DiscordOptions): ChannelAdapter {
  const log = opts.log.child({ channel: 'discord' })
  let client: DiscordGateway | undefined
  let send: ReturnType<typeof createDirectMessenger> | undefined

  return {
    channel: 'discord',
    traits: {
      textLimit: DISCORD_TEXT_LIMIT,
      // Discord: 50 requests a second for the bot, five messages every five seconds per channel.
      rates: { perRecipient: { perSecond: 1, burst: 5 }, perChannel: { perSecond: 50, burst: 50 } },
      files: DISCORD_FILE_TRAITS,
      choices: MAX_BUTTONS,
    },

    async start(host) {
      const c = await opts.createClient()
      client = c
      send = createDirectMessenger(c.rest)
      let lost = false
      const report = (text: string) =>
        host.notify({ text }).catch((error: unknown) => log.error({ err: error }, 'notice not queued'))

      c.on('messageCreate', (message) => {
        const inbound = toInbound(message, opts.guildChannelId)
        if (inbound === undefined) return
        // The gateway will not send it again: keep it until it is stored.
        keepStoring(() => host.receive(inbound), log, 'discord message')
      })
      c.on('interactionCreate', (interaction) => {
        const inbound = tapToInbound(interaction)
        if (inbound === undefined) return
        // Discord wants an answer within 3 s and never sends an interaction again: acknowledge it
        // at once, and keep the choice until it is stored. What it changes shows in the menu.
        interaction
          .deferUpdate()
          .catch((error: unknown) => log.warn({ err: error }, 'discord interaction not acknowledged'))
        keepStoring(() => host.receive(inbound), log, 'discord menu choice')
      })
      c.on('shardDisconnect', (closeEvent) => {
        lost = true
        log.error({ code: closeEvent.code }, 'discord connection lost for good')
        void report(
          `:warning: The Discord connection was lost (close code ${closeEvent.code}) and will not come back by itself; restart threaddesk, and check DISCORD_BOT_TOKEN if it persists. Replies wait in the outbox.`,
        )
      })
      c.on('invalidated', () => {
        lost = true
        log.error('discord session invalidated')
        void report(
          ':warning: Discord invalidated the bot’s session; restart threaddesk to log in again. Replies wait in the outbox.',
        )
      })
      c.on('clientReady', () => {
        log.info('discord ready')
        if (lost) {
          lost = false
          void report(':white_check_mark: Discord is connected again.')
        }
      })

      try {
        await c.login(opts.token)
      } catch (cause) {
        // start() is tried again with a fresh client: this one must not linger.
        await c.destroy().catch(() => undefined)
        throw new DeskError(
          'rejected',
          `Discord login failed: ${describeError(cause)} (check DISCORD_BOT_TOKEN)`,
          { cause },
        )
      }
    },

    async send(msg) {
      if (send === undefined) throw new DeskError('unavailable', 'Discord is not started')
      if (msg.replaces !== undefined) return { externalMessageId: await send.edit(msg.replaces, msg.text) }
      if (msg.choices !== undefined && msg.choices.length > 0)
        return { externalMessageId: await send.sendMenu(msg.to, msg.text, msg.choices) }
      return { externalMessageId: await send(msg.to, msg.text) }
    },

    async sendFile(msg, signal) {
      if (send === undefined || client === undefined)
        throw new DeskError('unavailable', 'Discord is not started')
      const channelId = await send.dmChannelOf(msg.to)
      return { externalMessageId: await sendDiscordFile(client.rest, channelId, msg, signal) }
    },

    fetchFile: (ref, signal) => fetchDiscordFile(ref, signal),

    async stop() {
      await client?.destroy()
    },
  }
}
