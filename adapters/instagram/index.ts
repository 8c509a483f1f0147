import type { Clock } from '../../src/core/clock.js'
import type { Logger } from '../../src/core/logger.js'
import type { ChannelAdapter } from '../../src/core/ports.js'
import type { MetaEntry, MetaWebhook } from '../meta/webhook.js'
import { toEvent, type InstagramMessaging } from './inbound.js'
import { HUMAN_AGENT_WINDOW_MS, sendInstagramMessage, type InstagramGraph } from './outbound.js'
import { createProfileCache } from './profiles.js'

/** Instagram direct messages: Meta webhooks in (object `instagram`), Graph API out. */
export function createInstagramAdapter(
  opts: InstagramGraph & { readonly webhook: MetaWebhook; readonly clock: Clock; readonly log: Logger },
): ChannelAdapter {
  const log = opts.log.child({ channel: 'instagram' })
  const profileOf = createProfileCache(opts, log)
  return {
    channel: 'instagram',
    // Within 24 h a plain reply, up to 7 days with the HUMAN_AGENT tag; after that, nothing.
    traits: { replyWindowMs: HUMAN_AGENT_WINDOW_MS },

    start(host) {
      opts.webhook.on('instagram', async (entries: readonly MetaEntry[]) => {
        for (const entry of entries) {
          // Entries for another account of the same app are not ours.
          const account =
            typeof entry.id === 'string' || typeof entry.id === 'number' ? String(entry.id) : undefined
          if (account !== undefined && account !== opts.accountId) continue
          const items = Array.isArray(entry.messaging) ? (entry.messaging as InstagramMessaging[]) : []
          for (const item of items) {
            const event = toEvent(item)
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
            })
          }
        }
      })
      log.info('instagram webhook handler ready')
      return Promise.resolve()
    },

    async send(msg) {
      return { externalMessageId: await sendInstagramMessage(opts, msg, opts.clock.now()) }
    },

    stop: () => Promise.resolve(),
  }
}
