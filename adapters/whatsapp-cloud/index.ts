import type { Logger } from '../../src/core/logger.js'
import type { ChannelAdapter } from '../../src/core/ports.js'
import type { MetaEntry, MetaWebhook } from '../meta/webhook.js'
import { readChange, type CloudChangeValue } from './inbound.js'
import { sendCloudMessage, type GraphOptions } from './outbound.js'

/** WhatsApp replies must follow a customer message within 24 hours; templates pass at any time. */
const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000

/** WhatsApp customers through the official Business Cloud API: Meta webhooks in, Graph API out. */
export function createWhatsAppCloudAdapter(
  opts: GraphOptions & { readonly webhook: MetaWebhook; readonly log: Logger },
): ChannelAdapter {
  const log = opts.log.child({ channel: 'whatsapp_cloud' })
  return {
    channel: 'whatsapp_cloud',
    traits: { replyWindowMs: CUSTOMER_SERVICE_WINDOW_MS, templates: true },

    start(host) {
      opts.webhook.on('whatsapp_business_account', async (entries: readonly MetaEntry[]) => {
        for (const entry of entries) {
          const changes = Array.isArray(entry.changes)
            ? (entry.changes as { field?: string; value?: CloudChangeValue }[])
            : []
          for (const change of changes) {
            if (change.field !== 'messages' || change.value === undefined) continue
            const { messages, statuses } = readChange(change.value, opts.phoneNumberId)
            for (const message of messages) await host.receive(message)
            for (const status of statuses) await host.deliveryStatus(status)
          }
        }
      })
      log.info('whatsapp cloud webhook handler ready')
      return Promise.resolve()
    },

    async send(msg) {
      return { externalMessageId: await sendCloudMessage(opts, msg) }
    },

    stop: () => Promise.resolve(),
  }
}
