import type { MessageKind } from '../../src/core/model.js'
import type { InboundMessage } from '../../src/core/ports.js'
import { filesOf, type DiscordAttachment } from './files.js'

/** Discord's channel type for direct messages. */
export const DM_CHANNEL = 1

/** The slice of a discord.js `Message` we read. */
export interface DiscordMessage {
  readonly id: string
  readonly content: string
  readonly channelId: string
  readonly guildId: string | null
  readonly createdTimestamp: number
  readonly channel: { readonly type: number }
  readonly author: {
    readonly id: string
    readonly bot: boolean
    readonly username: string
    readonly globalName?: string | null
    displayAvatarURL(): string
  }
  readonly attachments: ReadonlyMap<string, DiscordAttachment>
  readonly stickers: ReadonlyMap<string, { readonly name: string }>
}

function kindAndText(m: DiscordMessage): { kind: MessageKind; text: string } {
  const attachment = [...m.attachments.values()][0]
  if (attachment !== undefined) {
    const type = attachment.contentType ?? ''
    const kind: MessageKind = type.startsWith('image/')
      ? 'photo'
      : type.startsWith('video/')
        ? 'video'
        : type.startsWith('audio/')
          ? 'audio'
          : 'document'
    return { kind, text: m.content || attachment.name }
  }
  const sticker = [...m.stickers.values()][0]
  if (sticker !== undefined) return { kind: 'sticker', text: sticker.name }
  return { kind: 'text', text: m.content }
}

/**
 * A customer's message: any direct message to the bot, or (when configured) a member's message
 * in the support channel of a server. Bots, ourselves included, are never customers.
 */
export function toInbound(m: DiscordMessage, guildChannelId?: string): InboundMessage | undefined {
  if (m.author.bot) return undefined
  const isDm = m.channel.type === DM_CHANNEL
  const inSupportChannel =
    guildChannelId !== undefined && m.guildId !== null && m.channelId === guildChannelId
  if (!isDm && !inSupportChannel) return undefined
  const { kind, text } = kindAndText(m)
  const files = filesOf(m)
  return {
    channel: 'discord',
    externalId: m.id,
    contact: {
      externalId: m.author.id,
      displayName: m.author.globalName ?? m.author.username,
      username: m.author.username,
      avatarUrl: m.author.displayAvatarURL(),
    },
    kind,
    text,
    sentAt: new Date(m.createdTimestamp),
    ...(files.length > 0 && { files }),
  }
}
