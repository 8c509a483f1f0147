import { DeskError } from '../../src/core/errors.js'
import { isMalformed } from '../../src/core/inbound-shape.js'
import type { Logger } from '../../src/core/logger.js'
import type { ChannelAdapter, ChannelHost } from '../../src/core/ports.js'
import type { MetaEntry, MetaWebhook } from '../meta/webhook.js'
import { readChange } from './inbound.js'
import { MAX_LIST_ROWS, sendCloudMessage, WHATSAPP_TEXT_LIMIT, type GraphOptions } from './outbound.js'
import { fetchCloudFile, sendCloudFile, WHATSAPP_FILE_TRAITS } from './files.js'

/** WhatsApp replies must follow a customer message within 24 hours; templates pass at any time. */
const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000

/** WhatsApp customers through the official Business Cloud API: Meta webhooks in, Graph API out. */
export function createWhatsAppCloudAdapter(
  opts: GraphOptions & { readonly webhook: MetaWebhook; readonly log: Logger },
): ChannelAdapter {
  const log = opts.log.child({ channel: 'whatsapp_cloud' })
  let host: ChannelHost | undefined
  // Registered at once, so a webhook that arrives before start-up is answered 503 (Meta sends it
  // again) rather than acknowledged and dropped.
  opts.webhook.on('whatsapp_business_account', async (entries: readonly MetaEntry[]) => {
    if (host === undefined) throw new DeskError('unavailable', 'the WhatsApp channel is still starting')
    for (const entry of entries) {
      const changes = Array.isArray(entry.changes) ? (entry.changes as unknown[]) : []
      for (const change of changes) {
        if (typeof change !== 'object' || change === null) {
          log.warn('skipped a malformed whatsapp change')
          continue
        }
        const { field, value } = change as { field?: unknown; value?: unknown }
        if (field !== 'messages' || typeof value !== 'object' || value === null) continue
        const { messages, statuses, skipped } = readChange(value, opts.phoneNumberId)
        if (skipped > 0) log.warn({ skipped }, 'skipped malformed whatsapp messages or statuses')
        for (const message of messages) {
          try {
            await host.receive(message)
          } catch (error) {
            // Malformed: skipped, so Meta does not redeliver the whole batch for a day.
            if (!isMalformed(error)) throw error
            log.warn({ err: error }, 'skipped a whatsapp message that cannot be stored')
          }
        }
        for (const status of statuses) await host.deliveryStatus(status)
      }
    }
  })

  return {
    channel: 'whatsapp_cloud',
    traits: {
      replyWindowMs: CUSTOMER_SERVICE_WINDOW_MS,
      templates: true,
      textLimit: WHATSAPP_TEXT_LIMIT,
      // Cloud API: up to 80 messages a second per business number.
      rates: { perChannel: { perSecond: 80, burst: 80 } },
      files: WHATSAPP_FILE_TRAITS,
      choices: MAX_LIST_ROWS,
    },

    start(to) {
      host = to
      log.info('whatsapp cloud webhook handler ready')
      return Promise.resolve()
    },

    async send(msg) {
      return { externalMessageId: await sendCloudMessage(opts, msg) }
    },

    sendFile: async (msg, signal) => ({ externalMessageId: await sendCloudFile(opts, msg, signal) }),

    fetchFile: (ref, signal) => fetchCloudFile(opts, ref, signal),

    stop: () => Promise.resolve(),
  }
}
