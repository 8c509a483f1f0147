import type { App } from '@slack/bolt'
import type { HelpDesk } from '../../../src/core/helpdesk.js'
import type { Logger } from '../../../src/core/logger.js'
import { call } from '../errors.js'
import { noteBody } from '../classify.js'
import { FLAVOUR_OF, toPlatformText } from '../to-platform-text.js'

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
export function registerUndo(
  app: App,
  deps: { helpdesk: HelpDesk; log: Logger; noteMarkers: readonly string[] },
): void {
  const { helpdesk, log } = deps

  /** The agent's name as customers see it (a mention in an edited reply). */
  async function nameOf(userId: string): Promise<string> {
    const info = await call('users.info', () => app.client.users.info({ user: userId })).catch(
      () => undefined,
    )
    const profile = info?.user?.profile
    return profile?.display_name || profile?.real_name || info?.user?.real_name || 'our team'
  }

  async function tell(channel: string, post: Post, text: string): Promise<void> {
    if (post.user === undefined) return
    await call('chat.postEphemeral', () =>
      app.client.chat.postEphemeral({
        channel,
        user: post.user!,
        text,
        ...(post.thread_ts !== undefined && { thread_ts: post.thread_ts }),
      }),
    ).catch((error: unknown) => log.warn({ err: error }, 'could not answer the agent'))
  }

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
      if (noteBody(post.text, deps.noteMarkers) !== undefined) {
        await helpdesk.withdrawReply(where)
        return
      }
      const ticketId = await helpdesk.ticketOfThread({ channel: e.channel, ts: post.thread_ts })
      if (ticketId === undefined) return
      const { channel } = await helpdesk.view(ticketId)
      const text = await toPlatformText(post.text, FLAVOUR_OF[channel], nameOf)
      const outcome = await helpdesk.reviseReply(where, text)
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
