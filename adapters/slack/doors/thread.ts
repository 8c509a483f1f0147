import type { App } from '@slack/bolt'
import { DeskError, isDeskError } from '../../../src/core/errors.js'
import type { Actor, Origin } from '../../../src/core/helpdesk.js'
import { replyText, runThreadCommand } from '../commands.js'
import { fromSlackText } from '../text.js'
import { classifyThreadMessage } from '../classify.js'
import type { DoorContext } from './context.js'
import { toFileRef, type SlackFile } from '../file-refs.js'

/** Slack retries an event three times; after the third, nothing more comes. */
const SLACK_LAST_RETRY = 3

/** How long after we posted a thread's root its ticket may still be on its way into the database. */
const FRESH_ROOT_MS = 2 * 60_000

/**
 * Door 1, in the thread: an agent's plain reply (to the customer), note (internal) or `!command`
 * typed as a reply in a ticket's thread. Files attached to a reply go to the customer with it; files
 * on a note or a command stay in Slack.
 */
export function registerThreadDoor(app: App, ctx: DoorContext): void {
  const { helpdesk, core, tellAgent } = ctx

  app.message(async ({ message, client, context }) => {
    // A reply also sent to the channel (thread_broadcast) is a reply like any other, and so is one
    // that carries files (file_share).
    if (
      message.subtype !== undefined &&
      message.subtype !== 'thread_broadcast' &&
      message.subtype !== 'file_share'
    )
      return
    if (message.thread_ts === undefined || message.thread_ts === message.ts) return
    if ('bot_id' in message && message.bot_id !== undefined) return
    if (message.user === undefined) return
    const ticketId = await helpdesk.ticketOfThread({ channel: message.channel, ts: message.thread_ts })
    if (ticketId === undefined) {
      // Under a root of ours posted moments ago, the thread may be a ticket's that the process which
      // posted it (another replica, or this one a moment ago) has not recorded yet: Slack is asked
      // to send the reply again. Any other thread, or one still unknown at Slack's last retry, is
      // not a ticket's.
      const parent = 'parent_user_id' in message ? message.parent_user_id : undefined
      const rootAgeMs = ctx.clock.now().getTime() - Number(message.thread_ts) * 1000
      if (
        parent !== undefined &&
        parent === context.botUserId &&
        rootAgeMs < FRESH_ROOT_MS &&
        (context.retryNum ?? 0) < SLACK_LAST_RETRY
      )
        throw new DeskError('unavailable', 'the ticket of this thread is not recorded yet')
      return
    }
    const attached = 'files' in message ? message.files : undefined
    const files = (attached ?? []).map((f) => toFileRef(f as SlackFile))

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
        const text = said.text === '' ? '' : await replyText(core, actor, ticketId, said.text, channel)
        await helpdesk.reply(actor, ticketId, text, origin, files)
      } else {
        // Files on a note stay in Slack: the note names them when it has no words of its own.
        const text = said.text === '' ? files.map((f) => f.name).join(', ') : fromSlackText(said.text)
        await helpdesk.note(actor, ticketId, text, origin)
      }
    } catch (error) {
      // A refusal is the agent's to read. Anything else (the database failing) is answered with an
      // error so Slack sends the message again; only after Slack's last retry is the agent told.
      if (!isDeskError(error) && (context.retryNum ?? 0) < SLACK_LAST_RETRY) throw error
      await tellAgent(client, where, ctx.failureText(error))
    }
  })
}
