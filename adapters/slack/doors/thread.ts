import type { App } from '@slack/bolt'
import { isDeskError } from '../../../src/core/errors.js'
import type { Actor, Origin } from '../../../src/core/helpdesk.js'
import { replyText, runThreadCommand } from '../commands.js'
import { fromSlackText } from '../text.js'
import { classifyThreadMessage } from '../classify.js'
import type { DoorContext } from './context.js'

/** Slack retries an event three times; after the third, nothing more comes. */
const SLACK_LAST_RETRY = 3

/**
 * Door 1, in the thread: an agent's plain reply (to the customer), note (internal) or `!command`
 * typed as a reply in a ticket's thread; files are refused, since they cannot reach the customer.
 */
export function registerThreadDoor(app: App, ctx: DoorContext): void {
  const { helpdesk, core, tellAgent } = ctx

  app.message(async ({ message, client, context }) => {
    if (message.subtype === 'file_share' && message.thread_ts !== undefined && message.user !== undefined) {
      const { channel, thread_ts: threadTs, user } = message
      if ((await helpdesk.ticketOfThread({ channel, ts: threadTs })) === undefined) return
      await tellAgent(
        client,
        { channel, user, threadTs },
        ':warning: Files cannot be sent to customers yet, so nothing of that message was sent. Send its text as a plain reply.',
      )
      return
    }
    // A reply also sent to the channel (thread_broadcast) is a reply like any other.
    if (message.subtype !== undefined && message.subtype !== 'thread_broadcast') return
    if (message.thread_ts === undefined || message.thread_ts === message.ts) return
    if ('bot_id' in message && message.bot_id !== undefined) return
    const ticketId = await helpdesk.ticketOfThread({ channel: message.channel, ts: message.thread_ts })
    if (ticketId === undefined) return // a thread that is not a ticket's

    const actor: Actor = { deskUserId: message.user }
    // One Slack message is acted on once, whatever event carried it.
    const origin: Origin = { eventKey: `slack:${message.channel}:${message.ts}`, deskTs: message.ts }
    const where = { channel: message.channel, user: message.user, threadTs: message.thread_ts }
    const { channel } = await helpdesk.view(ticketId)
    const said = classifyThreadMessage(typeof message.text === 'string' ? message.text : '', {
      markers: ctx.noteMarkers,
      // A channel no longer registered cannot send: its messages stay inside.
      mode: ctx.replyModes[channel] ?? 'internal',
    })

    if (said.verdict === 'command') {
      await tellAgent(
        client,
        where,
        await ctx.attempt(() => runThreadCommand(core, actor, ticketId, said.text, origin)),
      )
      return
    }
    // Replies and notes need no answer when they work: they already stand in the thread.
    try {
      if (said.verdict === 'reply') {
        await helpdesk.reply(
          actor,
          ticketId,
          await replyText(core, actor, ticketId, said.text, channel),
          origin,
        )
      } else {
        await helpdesk.note(actor, ticketId, fromSlackText(said.text), origin)
      }
    } catch (error) {
      // A refusal is the agent's to read. Anything else (the database failing) is answered with an
      // error so Slack sends the message again; only after Slack's last retry is the agent told.
      if (!isDeskError(error) && (context.retryNum ?? 0) < SLACK_LAST_RETRY) throw error
      await tellAgent(client, where, ctx.failureText(error))
    }
  })
}
