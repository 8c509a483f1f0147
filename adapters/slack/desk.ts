import type { WebClient } from '@slack/web-api'
import { DeskError } from '../../src/core/errors.js'
import type { BusinessHours } from '../../src/core/hours.js'
import type { AgentDesk, ThreadRef } from '../../src/core/ports.js'
import { rootMessage, showsOpening, threadEntries, threadEntry, type SlackPost } from './blocks.js'
import { alertText } from './alerts.js'
import { call } from './errors.js'
import type { ChannelCatalog } from '../channel-module.js'
import type { createSlackFiles } from './files.js'

/**
 * Tickets as Slack threads in the support channel: the outbox's way to the agents. Times in the
 * lines it writes are given in the team's business-hours zone.
 */
export function createSlackDesk(
  client: WebClient,
  supportChannel: string,
  types: readonly string[],
  channels: ChannelCatalog,
  hours: Pick<BusinessHours, 'format'>,
  files?: ReturnType<typeof createSlackFiles>,
): AgentDesk {
  const { labelOf } = channels
  const when = (at: Date) => hours.format(at)

  /** Posts in a ticket's thread; resolves with the post's ts. */
  async function postInThread(thread: ThreadRef, post: SlackPost): Promise<{ ts: string }> {
    const res = await call('chat.postMessage', () =>
      client.chat.postMessage({
        channel: thread.channel,
        thread_ts: thread.ts,
        ...post,
        unfurl_links: false,
        unfurl_media: false,
      }),
    )
    return { ts: res.ts ?? '' }
  }

  return {
    // chat.postMessage: about one a second per channel; Slack allows "short bursts" without saying how
    // long and promises none, so the burst counted here is 2, below the 3 seen in practice: the token
    // to spare absorbs posts that reach Slack closer together than they left (a first call slowed by
    // its connection) and a post made just before a restart. Edits and reactions: tier 3.
    rates: { post: { perSecond: 1, burst: 2 }, edit: { perSecond: 50 / 60, burst: 10 } },

    async openThread(ticket) {
      const post = rootMessage(ticket, types, labelOf)
      const res = await call('chat.postMessage', () =>
        client.chat.postMessage({
          channel: ticket.deskChannel ?? supportChannel,
          ...post,
          unfurl_links: false,
          unfurl_media: false,
        }),
      )
      if (res.ts === undefined || res.channel === undefined) {
        throw new DeskError('unavailable', 'Slack chat.postMessage returned no ts')
      }
      return { channel: res.channel, ts: res.ts, showsOpening: showsOpening(ticket.opening) }
    },

    async updateThread(ticket) {
      const post = rootMessage(ticket, types, labelOf)
      await call('chat.update', () =>
        client.chat.update({ channel: ticket.thread.channel, ts: ticket.thread.ts, ...post }),
      )
    },

    async postToThread(ticket, entry) {
      return postInThread(ticket.thread, threadEntry(ticket, entry, labelOf, when))
    },

    async postEntries(ticket, entries) {
      const { post, count } = threadEntries(ticket, entries, labelOf, when)
      return { ...(await postInThread(ticket.thread, post)), count }
    },

    async react(thread, ts, reaction, replaces) {
      if (replaces !== undefined) {
        await call('reactions.remove', () =>
          client.reactions.remove({ channel: thread.channel, timestamp: ts, name: replaces }),
        ).catch((error: unknown) => {
          // Nothing to take away (the undo window was off, or someone removed it): no failure.
          if (!(error instanceof DeskError && /no_reaction|message_not_found/.test(error.message)))
            throw error
        })
      }
      await call('reactions.add', () =>
        client.reactions.add({ channel: thread.channel, timestamp: ts, name: reaction }),
      ).catch((error: unknown) => {
        // Marking a post twice is no failure.
        if (!(error instanceof DeskError && error.message.includes('already_reacted'))) throw error
      })
    },

    ...(files !== undefined && {
      uploadFile: (thread, file, signal) => files.uploadFile(thread, file, signal),
      fetchFile: (ref, signal) => files.fetchFile(ref, signal),
    }),

    async postAlert(alert) {
      await call('chat.postMessage', () =>
        client.chat.postMessage({ channel: supportChannel, text: alertText(alert, labelOf, when) }),
      )
    },

    async postNotice(notice) {
      const files = [
        ...(notice.image === undefined ? [] : [{ filename: notice.image.filename, bytes: notice.image.png }]),
        ...(notice.files ?? []),
      ]
      const to = notice.to ?? supportChannel
      if (files.length === 0) {
        await call('chat.postMessage', () => client.chat.postMessage({ channel: to, text: notice.text }))
        return
      }
      // Files go to a conversation: a person's is their DM with the app, opened (or found) first.
      const channel = /^[UW]/.test(to)
        ? await call('conversations.open', () => client.conversations.open({ users: to })).then(
            (r) => r.channel?.id ?? to,
          )
        : to
      await call('files.uploadV2', () =>
        client.filesUploadV2({
          channel_id: channel,
          file_uploads: files.map((f) => ({ file: f.bytes, filename: f.filename, title: f.filename })),
          initial_comment: notice.text,
        }),
      )
    },
  }
}
