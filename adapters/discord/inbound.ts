import type { MessageKind } from '../../src/core/model.js'
import type { InboundMessage } from '../../src/core/ports.js'
import { filesOf, type DiscordAttachment } from './files.js'
import { CUSTOM_ID_PREFIX } from './outbound.js'
import { isMenuChoice } from '../../src/core/menu-choice.js'

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

/** The slice of a discord.js interaction we read: a press of one of our menu's buttons. */
export interface DiscordTap {
  readonly id: string
  readonly customId?: string
  readonly channelId: string | null
  readonly createdTimestamp: number
  readonly user: DiscordMessage['author']
  readonly message?: { readonly id: string }
  isButton(): boolean
  /** Acknowledges the press without a new message (Discord's DEFERRED_UPDATE_MESSAGE). */
  deferUpdate(): Promise<unknown>
}

/**
 * A press of one of our menu's buttons as an InboundMessage of kind `choice`, keyed by the
 * interaction's id; undefined for any other interaction.
 */
export function tapToInbound(i: DiscordTap): InboundMessage | undefined {
  if (!i.isButton() || i.customId?.startsWith(CUSTOM_ID_PREFIX) !== true || i.channelId === null)
    return undefined
  const id = i.customId.slice(CUSTOM_ID_PREFIX.length)
  if (!isMenuChoice(id)) return undefined
  return {
    channel: 'discord',
    externalId: `interaction:${i.id}`,
    contact: {
      externalId: i.user.id,
      displayName: i.user.globalName ?? i.user.username,
      username: i.user.username,
      avatarUrl: i.user.displayAvatarURL(),
    },
    kind: 'choice',
    text: id,
    sentAt: new Date(i.createdTimestamp),
    choice: { id, ...(i.message !== undefined && { menuMessage: `${i.channelId}:${i.message.id}` }) },
  }
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
