import type { Config } from '../src/config.js'
import type { Logger } from '../src/core/logger.js'
import type { ChannelAdapter } from '../src/core/ports.js'
import { createTelegramAdapter, TELEGRAM_WEBHOOK_PATH } from './telegram/index.js'

/** The customer channels the configuration enables: one line per platform. */
export function createChannelAdapters(config: Config, log: Logger): ChannelAdapter[] {
  const adapters: ChannelAdapter[] = []
  const { telegram, publicUrl } = config
  if (telegram !== undefined) {
    const webhook =
      publicUrl !== undefined && telegram.webhookSecret !== undefined
        ? { url: `${publicUrl}${TELEGRAM_WEBHOOK_PATH}`, secret: telegram.webhookSecret }
        : undefined
    adapters.push(createTelegramAdapter({ token: telegram.token, apiRoot: telegram.apiRoot, webhook, log }))
  }
  return adapters
}
