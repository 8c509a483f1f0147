import type { Clock } from '../../src/core/clock.js'
import type { Logger } from '../../src/core/logger.js'
import { DeskError } from '../../src/core/errors.js'
import { isMalformed } from '../../src/core/inbound-shape.js'
import type { ChannelAdapter, ChannelHost } from '../../src/core/ports.js'
import type { MetaEntry, MetaWebhook } from '../meta/webhook.js'
import { toEvent, type InstagramMessaging } from './inbound.js'
import {
  MAX_QUICK_REPLIES,
  HUMAN_AGENT_WINDOW_MS,
  INSTAGRAM_TEXT_LIMIT,
  replyTag,
  sendInstagramMessage,
  toDeskError,
  type InstagramGraph,
} from './outbound.js'
import { fetchInstagramFile, INSTAGRAM_FILE_TRAITS, sendInstagramFile } from './files.js'
import { createProfileCache } from './profiles.js'

/** Instagram direct messages: Meta webhooks in (object `instagram`), Graph API out. */
export function createInstagramAdapter(
  opts: InstagramGraph & { readonly webhook: MetaWebhook; readonly clock: Clock; readonly log: Logger },
): ChannelAdapter {
  const log = opts.log.child({ channel: 'instagram' })
  const profileOf = createProfileCache(opts, log)
  let host: ChannelHost | undefined
  // Registered at once: a webhook before start-up is answered 503, so Meta sends it again.
  opts.webhook.on('instagram', async (entries: readonly MetaEntry[]) => {
    if (host === undefined) throw new DeskError('unavailable', 'the Instagram channel is still starting')
    for (const entry of entries) {
      // Entries for another account of the same app are not ours.
      const account =
        typeof entry.id === 'string' || typeof entry.id === 'number' ? String(entry.id) : undefined
      if (account !== undefined && account !== opts.accountId) continue
      const items = Array.isArray(entry.messaging) ? (entry.messaging as unknown[]) : []
      for (const item of items) {
        if (typeof item !== 'object' || item === null) {
          log.warn('skipped a malformed instagram messaging item')
          continue
        }
        let event
        try {
          event = toEvent(item as InstagramMessaging)
        } catch (error) {
          if (!isMalformed(error)) throw error
          log.warn({ err: error }, 'skipped a malformed instagram messaging item')
          continue
        }
        if (event === undefined || event.senderId === opts.accountId) continue
        const profile = await profileOf(event.senderId)
        await host.receive({
          channel: 'instagram',
          externalId: event.externalId,
          contact: {
            externalId: event.senderId,
            displayName: profile.name,
            provisional: profile.provisional,
            ...(profile.username !== undefined && { username: profile.username }),
            ...(profile.avatarUrl !== undefined && { avatarUrl: profile.avatarUrl }),
          },
          kind: event.kind,
          text: event.text,
          sentAt: event.sentAt,
          ...(event.files !== undefined && { files: event.files }),
          ...(event.choice !== undefined && { choice: event.choice }),
        })
      }
    }
  })

  return {
    channel: 'instagram',
    // Within 24 h a plain reply, up to 7 days with the HUMAN_AGENT tag; after that, nothing.
    traits: {
      replyWindowMs: HUMAN_AGENT_WINDOW_MS,
      textLimit: INSTAGRAM_TEXT_LIMIT,
      files: INSTAGRAM_FILE_TRAITS,
      choices: MAX_QUICK_REPLIES,
    },

    start(to) {
      host = to
      log.info('instagram webhook handler ready')
      return Promise.resolve()
    },

    async send(msg) {
      return { externalMessageId: await sendInstagramMessage(opts, msg, opts.clock.now()) }
    },

    async sendFile(msg, signal) {
      const tag = replyTag(msg.lastCustomerMessageAt, opts.clock.now())
      return { externalMessageId: await sendInstagramFile(opts, msg, tag, signal, toDeskError) }
    },

    fetchFile: (ref, signal) => fetchInstagramFile(ref, signal),

    stop: () => Promise.resolve(),
  }
}
