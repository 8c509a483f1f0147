import { timingSafeEqual } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { Api, GrammyError } from 'grammy'
import type { Update } from 'grammy/types'
import { DeskError } from '../../src/core/errors.js'
import { isMalformed } from '../../src/core/inbound-shape.js'
import { soleLeadership, type Leadership } from '../../src/core/leadership.js'
import type { Logger } from '../../src/core/logger.js'
import type { Clock } from '../../src/core/clock.js'
import type { ChannelAdapter, ChannelHost, WebhookRoute } from '../../src/core/ports.js'
import { parseJson, readRawBody, sendJson } from '../../src/http/body.js'
import { callbackToInbound, isObject, readMessage, toInbound, type TelegramCallbackQuery } from './inbound.js'
import {
  editText,
  sendMenu,
  fetchFile,
  sendFile,
  sendText,
  TELEGRAM_CAPTION_LIMIT,
  TELEGRAM_DOWNLOAD_MAX,
  TELEGRAM_FILE_LIMITS,
  TELEGRAM_TEXT_LIMIT,
  toDeskError,
} from './outbound.js'
import { growingDelay } from '../../src/core/backoff.js'
import { TELEGRAM_WEBHOOK_PATH } from './webhook-path.js'

/** What the bot is told about: messages, and taps on its menus. */
const UPDATES: ('message' | 'callback_query')[] = ['message', 'callback_query']

/** The commands Telegram offers customers in the chat's menu. */
const BOT_COMMANDS = [{ command: 'tickets', description: 'My requests' }]

/** How long one getUpdates call waits for news on Telegram's side. */
const POLL_TIMEOUT_S = 25
const RETRY_MAX_MS = 60_000

export interface TelegramOptions {
  readonly token: string
  readonly apiRoot?: string | undefined
  /** Webhook mode: Telegram pushes to `url`, signed with `secret`. Without it, long polling. */
  readonly webhook?: { readonly url: string; readonly secret: string } | undefined
  /** How long one send may take. */
  readonly sendTimeoutMs?: number
  /** Long polling runs only while this process leads those sharing the database (always, alone). */
  readonly leadership?: Leadership
  /** When a tap happened: Telegram's callback queries carry no date. */
  readonly clock?: Clock
  readonly log: Logger
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Telegram customers through the Bot API, by long polling or by webhook. Either way an update is
 * confirmed only once it is stored: polling asks for the same update again until storing works,
 * and a webhook answers non-2xx so Telegram sends it again.
 */
export function createTelegramAdapter(opts: TelegramOptions): ChannelAdapter {
  const log = opts.log.child({ channel: 'telegram' })
  const client = opts.apiRoot === undefined ? {} : { apiRoot: opts.apiRoot }
  // Sends fail after the send timeout; polling waits as long as Telegram holds the request open.
  const api = new Api(opts.token, {
    ...client,
    ...(opts.sendTimeoutMs !== undefined && { timeoutSeconds: Math.ceil(opts.sendTimeoutMs / 1000) }),
  })
  const pollApi = new Api(opts.token, { ...client, timeoutSeconds: POLL_TIMEOUT_S + 15 })
  // A file takes as long as its size needs: the outbox bounds each transfer and aborts it.
  const fileApi = new Api(opts.token, { ...client, timeoutSeconds: 60 * 60 })
  let host: ChannelHost | undefined
  const stopping = new AbortController()
  /** The polling under way while this process leads, and what ends it. */
  let polling: { readonly done: Promise<void>; readonly end: AbortController } | undefined
  let unwatch: (() => void) | undefined
  /** A poll told to end (this process stopped leading) and still finishing its update. */
  let ending: Promise<void> = Promise.resolve()
  let problem: string | undefined

  /** Stores one update; a malformed one is logged and skipped, a failure to store throws. */
  async function handle(to: ChannelHost, update: Update): Promise<void> {
    if (update.callback_query !== undefined) return handleTap(to, update.callback_query)
    if (update.message === undefined) return
    let inbound
    try {
      const message = readMessage(update.message)
      inbound = message === undefined ? null : toInbound(message)
    } catch (error) {
      if (!isMalformed(error)) throw error
      inbound = null
    }
    if (inbound === null) {
      log.warn({ update: update.update_id }, 'skipped a telegram update whose message is malformed')
      return
    }
    if (inbound === undefined) {
      log.debug({ update: update.update_id }, 'ignored a message that is not from a private chat')
      return
    }
    try {
      await to.receive(inbound)
    } catch (error) {
      // Malformed input is skipped: asking for it again would only block the updates behind it.
      if (!isMalformed(error)) throw error
      log.warn({ update: update.update_id, err: error }, 'skipped a telegram update that cannot be stored')
    }
  }

  /**
   * Stores a tap on a menu, then answers the callback query (Telegram shows a spinner until then).
   * The core decides what the tap does; one that is not on a menu of ours is only answered.
   */
  async function handleTap(to: ChannelHost, query: unknown): Promise<void> {
    // Telegram's own taps are objects with an id: anything else is skipped, never asked for again.
    if (!isObject(query) || typeof query.id !== 'string') {
      log.warn('skipped a telegram tap that is malformed')
      return
    }
    const tap = query as unknown as TelegramCallbackQuery
    const inbound = callbackToInbound(tap, opts.clock?.now() ?? new Date())
    try {
      if (inbound !== undefined) await to.receive(inbound)
      else log.debug('answered a tap that is not on a menu of ours')
    } catch (error) {
      if (!isMalformed(error)) throw error
      log.warn({ err: error }, 'skipped a telegram tap that cannot be stored')
    }
    await api
      .answerCallbackQuery(tap.id)
      .catch((error: unknown) => log.warn({ err: error }, 'telegram callback query not answered'))
  }

  /** Registers `/tickets` in the chat's command menu; a refusal costs the menu entry, nothing else. */
  async function registerCommands(): Promise<void> {
    await api
      .setMyCommands(BOT_COMMANDS)
      .catch((error: unknown) => log.warn({ err: error }, 'telegram commands not registered'))
  }

  /** Tells the support channel once per streak that polling is refused, and when it works again. */
  async function report(to: ChannelHost, text: string | undefined): Promise<void> {
    const before = problem
    problem = text
    if (text === before) return
    const notice =
      text === undefined
        ? ':white_check_mark: Telegram messages are received again.'
        : `:warning: ${text} Customer messages wait at Telegram until this is fixed.`
    await to
      .notify({ text: notice })
      .catch((error: unknown) => log.error({ err: error }, 'notice not queued'))
  }

  async function poll(to: ChannelHost, signal: AbortSignal): Promise<void> {
    let offset: number | undefined
    let failures = 0
    while (!signal.aborted) {
      let updates: Update[]
      try {
        updates = await pollApi.getUpdates(
          { timeout: POLL_TIMEOUT_S, allowed_updates: UPDATES, ...(offset !== undefined && { offset }) },
          // grammY types its signal with the abort-controller package's class; the web one is what it uses.
          signal as Parameters<Api['getUpdates']>[1],
        )
      } catch (error) {
        if (signal.aborted) return
        failures++
        const conflict = error instanceof GrammyError && error.error_code === 409
        const e = toDeskError('getUpdates', error)
        log.error({ err: error, failures }, 'telegram getUpdates failed, retrying')
        if (conflict) {
          await report(
            to,
            'Telegram refuses to deliver messages: another process polls with the same TELEGRAM_BOT_TOKEN (409 Conflict). Stop the other one, or use a webhook.',
          )
        } else if (failures >= 3) {
          await report(to, `Telegram cannot be polled (${e.message}).`)
        }
        await delay(Math.max(e.retryAfterMs ?? 0, backoff(failures)), undefined, { signal }).catch(
          () => undefined,
        )
        continue
      }
      failures = 0
      if (problem !== undefined) await report(to, undefined)
      let storeFailures = 0
      for (const update of updates) {
        // The offset moves past an update only once it is stored: a failure asks for it again.
        while (!signal.aborted) {
          try {
            await handle(to, update)
            break
          } catch (error) {
            storeFailures++
            log.error({ update: update.update_id, err: error }, 'telegram update not stored, trying it again')
            await delay(backoff(storeFailures), undefined, { signal }).catch(() => undefined)
          }
        }
        if (signal.aborted) return
        offset = update.update_id + 1
      }
    }
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
      if (host === undefined) throw new DeskError('unavailable', 'the Telegram channel is still starting')
      // A failure answers 5xx, so Telegram delivers the update again later.
      await handle(host, update as Update)
      sendJson(res, 200, {})
    },
  }

  return {
    channel: 'telegram',
    // Telegram: about one message a second per chat, thirty a second for the bot.
    traits: {
      textLimit: TELEGRAM_TEXT_LIMIT,
      rates: { perRecipient: { perSecond: 1, burst: 3 }, perChannel: { perSecond: 30, burst: 30 } },
      files: { maxBytes: TELEGRAM_FILE_LIMITS, captionLimit: TELEGRAM_CAPTION_LIMIT },
      // An inline keyboard, a button a row: a menu stays readable on a phone up to about ten.
      choices: 10,
    },

    async start(to) {
      host = to
      await registerCommands()
      if (opts.webhook !== undefined) {
        await api
          .setWebhook(opts.webhook.url, { secret_token: opts.webhook.secret, allowed_updates: UPDATES })
          .catch((e: unknown) => Promise.reject(toDeskError('setWebhook', e)))
        log.info({ url: opts.webhook.url }, 'telegram webhook set')
        return
      }
      // A webhook left from an earlier setup makes getUpdates fail: polling needs it gone.
      const me = await api.getMe().catch((e: unknown) => Promise.reject(toDeskError('getMe', e)))
      await api.deleteWebhook().catch((e: unknown) => Promise.reject(toDeskError('deleteWebhook', e)))
      // One poller per bot, or Telegram answers 409: of the processes sharing the database, the leader.
      unwatch ??= (opts.leadership ?? soleLeadership).watch((leads) => {
        if (leads && polling === undefined && !stopping.signal.aborted) {
          const end = new AbortController()
          const signal = AbortSignal.any([stopping.signal, end.signal])
          // A poll ended by an earlier loss of the lead finishes its update first.
          polling = { end, done: ending.then(() => poll(to, signal)) }
          log.info({ bot: me.username }, 'telegram long polling started')
        } else if (!leads && polling !== undefined) {
          polling.end.abort()
          ending = polling.done
          polling = undefined
          log.info({ bot: me.username }, 'telegram long polling stopped: another process leads')
        }
      })
    },

    async send(msg) {
      if (msg.replaces !== undefined)
        return { externalMessageId: await editText(api, msg.replaces, msg.text) }
      if (msg.choices !== undefined && msg.choices.length > 0)
        return { externalMessageId: await sendMenu(api, msg.to, msg.text, msg.choices) }
      return { externalMessageId: await sendText(api, msg.to, msg.text) }
    },

    sendFile: async (msg, signal) => ({ externalMessageId: await sendFile(fileApi, msg, signal) }),

    fetchFile: (ref, signal) =>
      fetchFile(
        fileApi,
        {
          token: opts.token,
          apiRoot: opts.apiRoot ?? 'https://api.telegram.org',
          maxBytes: opts.apiRoot === undefined ? TELEGRAM_DOWNLOAD_MAX : undefined,
        },
        ref,
        signal,
      ),

    async stop() {
      unwatch?.()
      stopping.abort()
      await Promise.all([polling?.done, ending])
    },

    status: () => (problem === undefined ? { ok: host !== undefined } : { ok: false, detail: problem }),

    routes: () => (opts.webhook === undefined ? [] : [webhookRoute]),
  }
}

function backoff(failures: number): number {
  return growingDelay(failures, 500, RETRY_MAX_MS)
}
