import type { App } from '@slack/bolt'
import { noteBody } from '../classify.js'
import { platformTextOf } from '../commands.js'
import type { DoorContext } from './context.js'

interface Post {
  readonly user?: string
  readonly text?: string
  readonly ts?: string
  readonly thread_ts?: string
}

/**
 * The undo window: deleting a reply in Slack while it waits (⏳) takes it back, and editing it
 * changes what leaves. Once it left, the agent is told that Slack's change does not reach the
 * customer.
 */
export function registerUndo(app: App, ctx: DoorContext): void {
  const { helpdesk } = ctx

  /** Answers the agent who changed the post, privately, in its thread. */
  const tell = (channel: string, post: Post, text: string): Promise<void> =>
    post.user === undefined
      ? Promise.resolve()
      : ctx.tellAgent(
          app.client,
          { channel, user: post.user, ...(post.thread_ts !== undefined && { threadTs: post.thread_ts }) },
          text,
        )

  app.event('message', async ({ event }) => {
    const e = event as { subtype?: string; channel: string; message?: Post; previous_message?: Post }
    if (e.subtype === 'message_deleted') {
      const post = e.previous_message
      if (post?.ts === undefined || post.thread_ts === undefined) return
      const outcome = await helpdesk.withdrawReply({ channel: e.channel, ts: post.ts })
      if (outcome === 'too_late') {
        await tell(
          e.channel,
          post,
          ':warning: That reply had already reached the customer; deleting it in Slack does not take it back.',
        )
      }
      return
    }
    if (e.subtype === 'message_changed') {
      const post = e.message
      if (post?.ts === undefined || post.thread_ts === undefined || post.text === undefined) return
      if (post.text === e.previous_message?.text) return // an unfurl or a reaction, not an edit
      const where = { channel: e.channel, ts: post.ts }
      // Edited into a note: it must not leave at all.
      if (noteBody(post.text, ctx.noteMarkers) !== undefined) {
        await helpdesk.withdrawReply(where)
        return
      }
      const ticketId = await helpdesk.ticketOfThread({ channel: e.channel, ts: post.thread_ts })
      if (ticketId === undefined) return
      const outcome = await helpdesk.reviseReply(where, await platformTextOf(ctx.core, ticketId, post.text))
      if (outcome === 'too_late') {
        await tell(
          e.channel,
          post,
          ':warning: That reply had already reached the customer as first written; the edit stays in Slack only.',
        )
      }
    }
  })
}
