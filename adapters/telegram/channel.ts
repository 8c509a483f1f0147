import { z } from 'zod'
import { baseUrl, optional, publicUrl, settingsPart } from '../../src/config/part.js'
import { defineChannel } from '../channel-module.js'
import { checkTelegram } from './doctor.js'
import { TELEGRAM_WEBHOOK_PATH } from './webhook-path.js'

const env = settingsPart({
  env: {
    PUBLIC_URL: publicUrl,
    TELEGRAM_BOT_TOKEN: optional(
      z.string().regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-… (from @BotFather)'),
    ),
    TELEGRAM_API_ROOT: baseUrl('the Bot API root, without a trailing slash'),
    TELEGRAM_WEBHOOK_SECRET: optional(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,256}$/, 'may hold only A-Z, a-z, 0-9, _ and -, at most 256 characters'),
    ),
  },
  read: (e, _problem, warn) => {
    if (e.TELEGRAM_BOT_TOKEN === undefined) return undefined
    if (e.PUBLIC_URL !== undefined && e.TELEGRAM_WEBHOOK_SECRET === undefined)
      warn(
        'PUBLIC_URL is set but TELEGRAM_WEBHOOK_SECRET is not, so Telegram is polled: set a secret to receive it by webhook.',
      )
    if (e.PUBLIC_URL === undefined && e.TELEGRAM_WEBHOOK_SECRET !== undefined)
      warn(
        'TELEGRAM_WEBHOOK_SECRET is set but PUBLIC_URL is not, so Telegram is polled: set PUBLIC_URL for the webhook.',
      )
    return {
      token: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT,
      webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
    }
  },
})

/** Telegram through the Bot API: a webhook with PUBLIC_URL and a secret, long polling otherwise. */
export const telegram = defineChannel({
  id: 'telegram',
  label: 'Telegram',
  flavour: 'telegram',
  ...env,
  create: async (settings, ctx) => {
    const { createTelegramAdapter } = await import('./index.js')
    return createTelegramAdapter({
      token: settings.token,
      apiRoot: settings.apiRoot,
      webhook:
        ctx.publicUrl !== undefined && settings.webhookSecret !== undefined
          ? { url: `${ctx.publicUrl}${TELEGRAM_WEBHOOK_PATH}`, secret: settings.webhookSecret }
          : undefined,
      sendTimeoutMs: ctx.sendTimeoutMs,
      leadership: ctx.leadership,
      clock: ctx.clock,
      log: ctx.log,
    })
  },
  doctor: (settings, ctx) => checkTelegram(settings, ctx),
})
