import { DiscordAPIError, HTTPError, RateLimitError, Routes, type REST } from 'discord.js'
import { DeskError } from '../../src/core/errors.js'
import { splitText } from '../../src/core/split-text.js'
import type { OutboundChoice } from '../../src/core/ports.js'

/** Our menu buttons' custom ids: `td:` and the choice's id. */
export const CUSTOM_ID_PREFIX = 'td:'

/** Discord's limit on one message's content. */
export const DISCORD_TEXT_LIMIT = 2000

/** A REST failure as a DeskError: rate limits and outages are retried, the rest says what to do. */
export function toDeskError(route: string, error: unknown): DeskError {
  if (error instanceof RateLimitError) {
    return new DeskError('rate_limited', `Discord rate limit on ${route}`, {
      retryAfterMs: error.retryAfter,
      cause: error,
    })
  }
  if (error instanceof DiscordAPIError) {
    const what = `Discord ${route} answered ${error.status} (${String(error.code)}): ${error.message}`
    if (error.code === 50007) {
      return new DeskError(
        'rejected',
        'this Discord user does not accept direct messages from the bot (privacy settings or no shared server)',
        { cause: error },
      )
    }
    if (error.status === 401)
      return new DeskError('rejected', `${what} (check DISCORD_BOT_TOKEN)`, { cause: error })
    return new DeskError(error.status >= 500 ? 'unavailable' : 'rejected', what, { cause: error })
  }
  if (error instanceof HTTPError) {
    return new DeskError(
      error.status >= 500 ? 'unavailable' : 'rejected',
      `Discord ${route} answered ${error.status}`,
      { cause: error },
    )
  }
  return new DeskError('unavailable', `Discord ${route} could not be reached`, { cause: error })
}

/** Sends text to a user's direct messages (the DM channel is opened once and remembered). */
export function createDirectMessenger(rest: REST) {
  const dmChannels = new Map<string, string>()

  async function dmChannelOf(userId: string): Promise<string> {
    const known = dmChannels.get(userId)
    if (known !== undefined) return known
    try {
      const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
        id: string
      }
      dmChannels.set(userId, channel.id)
      return channel.id
    } catch (error) {
      throw toDeskError('POST /users/@me/channels', error)
    }
  }

  const send = async function send(userId: string, text: string): Promise<string> {
    const channelId = await dmChannelOf(userId)
    let lastId = ''
    for (const content of splitText(text, DISCORD_TEXT_LIMIT)) {
      try {
        const message = (await rest.post(Routes.channelMessages(channelId), { body: { content } })) as {
          id: string
        }
        lastId = message.id
      } catch (error) {
        throw toDeskError('POST /channels/{id}/messages', error)
      }
    }
    return lastId
  }
  /** A menu: the text with a button per choice, five to a row; returns the message's id as `channel:message`. */
  async function sendMenu(userId: string, text: string, choices: readonly OutboundChoice[]): Promise<string> {
    const channelId = await dmChannelOf(userId)
    const buttons = choices.slice(0, MAX_BUTTONS).map((c) => ({
      type: 2,
      style: 1,
      label: c.label.slice(0, 80),
      custom_id: `${CUSTOM_ID_PREFIX}${c.id}`,
    }))
    const components = []
    for (let i = 0; i < buttons.length; i += 5)
      components.push({ type: 1, components: buttons.slice(i, i + 5) })
    try {
      const message = (await rest.post(Routes.channelMessages(channelId), {
        body: { content: text.slice(0, DISCORD_TEXT_LIMIT), components },
      })) as { id: string }
      return `${channelId}:${message.id}`
    } catch (error) {
      throw toDeskError('POST /channels/{id}/messages', error)
    }
  }

  /** Changes a menu of ours (`channel:message`) into `text`, without its buttons. */
  async function edit(ref: string, text: string): Promise<string> {
    const [channelId = '', messageId = ''] = ref.split(':')
    try {
      await rest.patch(Routes.channelMessage(channelId, messageId), {
        body: { content: text, components: [] },
      })
    } catch (error) {
      // A menu deleted meanwhile stays as it is; the choice is made all the same.
      if (!(error instanceof DiscordAPIError && error.status === 404))
        throw toDeskError('PATCH /channels/{id}/messages/{id}', error)
    }
    return ref
  }
  return Object.assign(send, { dmChannelOf, sendMenu, edit })
}

/** Five rows of five buttons. */
export const MAX_BUTTONS = 25
