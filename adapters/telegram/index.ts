import { timingSafeEqual } from 'node:crypto'
import { Bot } from 'grammy'
import type { Update } from 'grammy/types'
import { DeskError, describeError } from '../../src/core/errors.js'
import type { Logger } from '../../src/core/logger.js'
import type { ChannelAdapter, ChannelHost, WebhookRoute } from '../../src/core/ports.js'
import { parseJson, readRawBody, sendJson } from '../../src/http/body.js'
import { toInbound } from './inbound.js'
import { sendText, toDeskError } from './outbound.js'

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram'

export interface TelegramOptions {
  readonly token: string
  readonly apiRoot?: string | undefined
  /** Webhook mode: Telegram pushes to `url`, signed with `secret`. Without it, long polling. */
  readonly webhook?: { readonly url: string; readonly secret: string } | undefined
  readonly log: Logger
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Telegram customers through the Bot API, by long polling or by webhook. */
export function createTelegramAdapter(opts: TelegramOptions): ChannelAdapter {
  const log = opts.log.child({ channel: 'telegram' })
  const bot = new Bot(opts.token, opts.apiRoot === undefined ? {} : { client: { apiRoot: opts.apiRoot } })
  let polling: Promise<void> | undefined

  function listen(host: ChannelHost): void {
    bot.on('message', async (ctx) => {
      const msg = toInbound(ctx.message)
      if (msg === undefined) {
        log.debug({ chatType: ctx.message.chat.type }, 'ignored a message that is not from a private chat')
        return
      }
      await host.receive(msg)
    })
    bot.catch((err) => {
      log.error(
        { update: err.ctx.update.update_id, err: describeError(err.error) },
        'telegram update not stored',
      )
    })
  }

  const webhookRoute: WebhookRoute = {
    method: 'POST',
    path: TELEGRAM_WEBHOOK_PATH,
    async handle(req, res) {
      const secret = opts.webhook?.secret ?? ''
      if (!sameSecret(req.headers['x-telegram-bot-api-secret-token'], secret)) {
        throw new DeskError('forbidden', 'missing or wrong X-Telegram-Bot-Api-Secret-Token')
      }
      const update = parseJson(await readRawBody(req))
      if (typeof update !== 'object' || update === null || typeof (update as Update).update_id !== 'number') {
        throw new DeskError('invalid', 'body is not a Telegram update')
      }
      // A failure answers 500, so Telegram delivers the update again later.
      await bot.handleUpdate(update as Update)
      sendJson(res, 200, {})
    },
  }

  return {
    channel: 'telegram',

    async start(host) {
      listen(host)
      if (opts.webhook !== undefined) {
        await bot.init().catch((e: unknown) => Promise.reject(toDeskError('getMe', e)))
        await bot.api
          .setWebhook(opts.webhook.url, { secret_token: opts.webhook.secret, allowed_updates: ['message'] })
          .catch((e: unknown) => Promise.reject(toDeskError('setWebhook', e)))
        log.info({ url: opts.webhook.url }, 'telegram webhook set')
        return
      }
      await new Promise<void>((resolve, reject) => {
        polling = bot
          .start({ allowed_updates: ['message'], onStart: () => resolve() })
          .catch((e: unknown) => {
            const error = toDeskError('getUpdates', e)
            log.error({ err: error.message }, 'telegram long polling stopped')
            reject(error)
          })
      })
      log.info({ bot: bot.botInfo.username }, 'telegram long polling started')
    },

    async send(msg) {
      return { externalMessageId: await sendText(bot.api, msg.to, msg.text) }
    },

    async stop() {
      if (bot.isRunning()) await bot.stop()
      await polling
    },

    routes: () => (opts.webhook === undefined ? [] : [webhookRoute]),
  }
}
