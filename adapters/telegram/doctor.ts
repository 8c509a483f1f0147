import {
  failed,
  getJson,
  passed,
  unreachable,
  warning,
  type DoctorCheck,
  type DoctorContext,
  type Reply,
} from '../shared/doctor.js'
import { TELEGRAM_WEBHOOK_PATH } from './webhook-path.js'

const DEFAULT_API_ROOT = 'https://api.telegram.org'

export interface TelegramDoctorSettings {
  readonly token: string
  readonly apiRoot: string | undefined
  readonly webhookSecret: string | undefined
}

interface BotAnswer<T> {
  readonly ok?: boolean
  readonly result?: T
  readonly error_code?: number
  readonly description?: string
}

interface WebhookInfo {
  readonly url?: string
  readonly last_error_date?: number
  readonly last_error_message?: string
}

/**
 * A webhook URL as it may be shown: origin and path only (a query may carry a secret), and
 * shortened. The doctor's printer also removes every configured token, should a path hold one.
 */
function shown(url: string): string {
  try {
    const { origin, pathname } = new URL(url)
    const text = `${origin}${pathname}`
    return text.length > 80 ? `${text.slice(0, 79)}…` : text
  } catch {
    return 'an address that is not a URL'
  }
}

/** A Bot API method, called with the token. */
type Call = (method: string) => Promise<Reply>

/** getMe: the token is the bot's. */
async function checkBot(call: Call, base: string): Promise<{ check: DoctorCheck; ok: boolean }> {
  const reply = await call('getMe')
  if (!reply.reached)
    return { check: unreachable('Telegram', base, reply.reason, 'TELEGRAM_API_ROOT'), ok: false }
  const body = (reply.body ?? {}) as BotAnswer<{ username?: string }>
  if (reply.status === 200 && body.ok === true)
    return { check: passed(`Telegram: bot @${body.result?.username ?? '(no username)'}`), ok: true }
  const code = body.error_code ?? reply.status
  // Telegram answers 404 to a token that is not even shaped like one, 401 to one it does not know.
  if (code === 401 || code === 404)
    return {
      check: failed(
        `Telegram refused TELEGRAM_BOT_TOKEN (${code} ${body.description ?? 'Unauthorized'})`,
        'copy the token again from @BotFather (/mybots → your bot → API Token) into TELEGRAM_BOT_TOKEN',
      ),
      ok: false,
    }
  return {
    check: failed(
      `Telegram getMe answered ${code}${body.description === undefined ? '' : ` ${body.description}`}`,
      'try again later; if it persists, check TELEGRAM_API_ROOT',
    ),
    ok: false,
  }
}

/**
 * getWebhookInfo. Webhook mode: the webhook should be ours (start-up sets it). Long polling: no
 * webhook may be set, or getUpdates answers 409 Conflict.
 */
function checkWebhook(info: WebhookInfo, expected: string | undefined): DoctorCheck[] {
  const url = info.url ?? ''
  if (expected === undefined) {
    if (url === '') return [passed('Telegram webhook: none set, as long polling needs')]
    return [
      failed(
        `Telegram webhook is set to ${shown(url)} while threaddesk polls (getUpdates would answer 409 Conflict)`,
        'if another deployment uses this bot, give this one its own bot (@BotFather) or use webhook mode here ' +
          '(PUBLIC_URL and TELEGRAM_WEBHOOK_SECRET); if nothing else does, threaddesk deletes the webhook when it starts',
      ),
    ]
  }
  if (url === '')
    return [warning(`Telegram webhook not set yet: threaddesk sets it to ${expected} when it starts`)]
  if (url !== expected)
    return [
      failed(
        `Telegram webhook is ${shown(url)}, not ${expected}`,
        'threaddesk sets it when it starts; if another deployment uses this bot, give each its own bot (@BotFather); ' +
          'otherwise check PUBLIC_URL',
      ),
    ]
  const checks = [passed(`Telegram webhook: ${expected}`)]
  if (info.last_error_message !== undefined && info.last_error_date !== undefined) {
    const when = new Date(info.last_error_date * 1000).toISOString().replace('.000', '')
    checks.push(
      warning(
        `Telegram's last delivery to the webhook failed (${when}): ${info.last_error_message}`,
        'check that PUBLIC_URL reaches this server from the internet, over https',
      ),
    )
  }
  return checks
}

/** getMe, then getWebhookInfo: the token works, and updates can reach threaddesk the way it expects. */
export async function checkTelegram(
  settings: TelegramDoctorSettings,
  ctx: DoctorContext,
): Promise<readonly DoctorCheck[]> {
  const base = settings.apiRoot ?? DEFAULT_API_ROOT
  // The token is in the path: this URL is never shown.
  const call: Call = (method) => getJson(`${base}/bot${settings.token}/${method}`, {}, ctx.timeoutMs)
  const bot = await checkBot(call, base)
  if (!bot.ok) return [bot.check]
  const expected =
    ctx.publicUrl !== undefined && settings.webhookSecret !== undefined
      ? `${ctx.publicUrl}${TELEGRAM_WEBHOOK_PATH}`
      : undefined
  const reply = await call('getWebhookInfo')
  if (!reply.reached) return [bot.check, unreachable('Telegram', base, reply.reason, 'TELEGRAM_API_ROOT')]
  const body = (reply.body ?? {}) as BotAnswer<WebhookInfo>
  if (body.ok !== true || body.result === undefined)
    return [
      bot.check,
      failed(
        `Telegram getWebhookInfo answered ${body.error_code ?? reply.status}`,
        'try again later; if it persists, check TELEGRAM_API_ROOT',
      ),
    ]
  return [bot.check, ...checkWebhook(body.result, expected)]
}
