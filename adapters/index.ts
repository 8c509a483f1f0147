import type { Config } from '../src/config.js'
import type { Clock } from '../src/core/clock.js'
import type { Logger } from '../src/core/logger.js'
import type { ChannelAdapter, WebhookRoute } from '../src/core/ports.js'
import { createDiscordClient } from './discord/client.js'
import { createDiscordAdapter } from './discord/index.js'
import { createInstagramAdapter } from './instagram/index.js'
import { createMetaWebhook } from './meta/webhook.js'
import { createTelegramAdapter, TELEGRAM_WEBHOOK_PATH } from './telegram/index.js'
import { createWhatsAppCloudAdapter } from './whatsapp-cloud/index.js'
import { createWhatsAppWebClient } from './whatsapp-web/client.js'
import { createWhatsAppWebAdapter } from './whatsapp-web/index.js'

export interface Channels {
  readonly adapters: readonly ChannelAdapter[]
  /** Routes shared by several adapters (Meta's one webhook serves WhatsApp and Instagram). */
  readonly routes: readonly WebhookRoute[]
}

/** The customer channels the configuration enables: one line per platform. */
export function createChannels(config: Config, log: Logger, clock: Clock): Channels {
  const adapters: ChannelAdapter[] = []
  const routes: WebhookRoute[] = []
  const { telegram, publicUrl, meta } = config

  if (telegram !== undefined) {
    const webhook =
      publicUrl !== undefined && telegram.webhookSecret !== undefined
        ? { url: `${publicUrl}${TELEGRAM_WEBHOOK_PATH}`, secret: telegram.webhookSecret }
        : undefined
    adapters.push(
      createTelegramAdapter({
        token: telegram.token,
        apiRoot: telegram.apiRoot,
        webhook,
        sendTimeoutMs: config.delivery.sendTimeoutMs,
        log,
      }),
    )
  }

  if (meta !== undefined) {
    const webhook = createMetaWebhook({ appSecret: meta.appSecret, verifyToken: meta.verifyToken, log })
    routes.push(...webhook.routes())
    if (config.whatsappCloud !== undefined) {
      const graph = { graphUrl: meta.graphUrl, version: meta.graphVersion, ...config.whatsappCloud }
      adapters.push(createWhatsAppCloudAdapter({ ...graph, webhook, log }))
    }
    if (config.instagram !== undefined) {
      const { token, accountId } = config.instagram
      const graph = { graphUrl: meta.graphUrl, version: meta.graphVersion, token, accountId }
      adapters.push(createInstagramAdapter({ ...graph, webhook, clock, log }))
    }
  }

  const web = config.whatsappWeb
  if (web !== undefined) {
    adapters.push(
      createWhatsAppWebAdapter({
        createClient: () => createWhatsAppWebClient(web),
        chatGapMs: web.chatGapMs,
        globalGapMs: web.globalGapMs,
        clock,
        log,
      }),
    )
  }

  const { discord } = config
  if (discord !== undefined) {
    const guildChannel = discord.guildChannelId !== undefined
    adapters.push(
      createDiscordAdapter({
        createClient: () => createDiscordClient({ apiUrl: discord.apiUrl, guildChannel }),
        token: discord.token,
        guildChannelId: discord.guildChannelId,
        log,
      }),
    )
  }

  return { adapters, routes }
}
