import { ErrorCode, LogLevel, WebClient, type Logger as SlackLogger } from '@slack/web-api'
import type { Logger } from '../../src/core/logger.js'
import {
  failed,
  passed,
  unreachable,
  unreachableReason,
  warning,
  type DoctorCheck,
  type DoctorContext,
} from '../shared/doctor.js'
import { MANIFEST_BOT_SCOPES } from './scopes.js'
import type { SlackSettings } from './settings.js'

const DEFAULT_API_URL = 'https://slack.com/api/'

/** Errors that say the token itself is no good. */
const BAD_TOKEN = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
])

/** How one Web API call went. */
type Answer<T> =
  | { readonly kind: 'ok'; readonly result: T }
  | { readonly kind: 'refused'; readonly code: string; readonly needed: string | undefined }
  | { readonly kind: 'rate_limited'; readonly retryAfterS: number }
  | { readonly kind: 'http'; readonly status: number }
  | { readonly kind: 'unreachable'; readonly reason: string }

/** The SDK's own chatter ("http request failed") goes to debug: the doctor's line says it better. */
function quietLogger(log: Logger): SlackLogger {
  const debug = (...msg: unknown[]) => log.debug({ source: 'slack-web-api' }, msg.map(String).join(' '))
  let level = LogLevel.DEBUG
  return {
    debug,
    info: debug,
    warn: debug,
    error: debug,
    setLevel: (l) => (level = l),
    getLevel: () => level,
    setName: () => undefined,
  }
}

/** A client that asks once and answers within the timeout, as the desk's own does. */
function clientFor(token: string, apiUrl: string | undefined, ctx: DoctorContext): WebClient {
  return new WebClient(token, {
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: ctx.timeoutMs,
    logger: quietLogger(ctx.log),
    ...(apiUrl !== undefined && { slackApiUrl: apiUrl }),
  })
}

async function ask<T>(run: () => Promise<T>, timeoutMs: number): Promise<Answer<T>> {
  try {
    return { kind: 'ok', result: await run() }
  } catch (error) {
    const e = error as {
      code?: string
      data?: { error?: string; needed?: string }
      retryAfter?: number
      statusCode?: number
    }
    switch (e.code) {
      case ErrorCode.PlatformError:
        return { kind: 'refused', code: e.data?.error ?? 'unknown_error', needed: e.data?.needed }
      case ErrorCode.RateLimitedError:
        return { kind: 'rate_limited', retryAfterS: e.retryAfter ?? 60 }
      case ErrorCode.HTTPError:
        return { kind: 'http', status: e.statusCode ?? 0 }
      default:
        return { kind: 'unreachable', reason: unreachableReason(error, timeoutMs) }
    }
  }
}

/** The line for an answer no check below has its own words for. */
function otherwise(method: string, base: string, answer: Exclude<Answer<unknown>, { kind: 'ok' }>) {
  switch (answer.kind) {
    case 'unreachable':
      return unreachable('Slack', base, answer.reason, 'SLACK_API_URL')
    case 'rate_limited':
      return warning(
        `Slack ${method} is rate limited (retry after ${answer.retryAfterS} s)`,
        'run the doctor again in a minute',
      )
    case 'http':
      return failed(
        `Slack ${method} answered HTTP ${answer.status}`,
        'try again later; if it persists, check SLACK_API_URL',
      )
    case 'refused':
      return failed(
        `Slack ${method} failed: ${answer.code}`,
        `see https://api.slack.com/methods/${method} for what ${answer.code} means`,
      )
  }
}

function checkScopes(granted: readonly string[] | undefined): DoctorCheck {
  if (granted === undefined)
    return warning('Slack did not say which scopes SLACK_BOT_TOKEN has (no x-oauth-scopes header)')
  const missing = MANIFEST_BOT_SCOPES.filter((s) => !granted.includes(s))
  if (missing.length === 0)
    return passed(`Slack scopes: all ${MANIFEST_BOT_SCOPES.length} that slack-app-manifest.yaml asks for`)
  return failed(
    `Slack app lacks scopes: ${missing.join(', ')}`,
    'add them under OAuth & Permissions → Bot Token Scopes (slack-app-manifest.yaml lists them) ' +
      'and reinstall the app to the workspace',
  )
}

interface ChannelInfo {
  readonly name?: string
  readonly is_member?: boolean
  readonly is_archived?: boolean
}

async function checkSupportChannel(
  client: WebClient,
  channel: string,
  bot: string,
  base: string,
  ctx: DoctorContext,
): Promise<DoctorCheck> {
  const answer = await ask(() => client.conversations.info({ channel }), ctx.timeoutMs)
  if (answer.kind === 'ok') {
    const info: ChannelInfo = answer.result.channel ?? {}
    const name = info.name === undefined ? channel : `#${info.name}`
    if (info.is_archived === true)
      return failed(
        `Slack support channel ${name} is archived`,
        'unarchive it, or set SLACK_SUPPORT_CHANNEL to another channel and invite the app there',
      )
    if (info.is_member !== true)
      return failed(
        `Slack support channel ${name}: the bot is not a member`,
        `invite the app: type /invite @${bot} in ${name}`,
      )
    return passed(`Slack support channel ${name}: the bot is a member`)
  }
  if (answer.kind === 'refused' && answer.code === 'channel_not_found')
    return failed(
      `Slack support channel ${channel} not found (channel_not_found)`,
      "check SLACK_SUPPORT_CHANNEL (the channel's id: its name → About, at the bottom) " +
        `and invite the app to that channel (/invite @${bot})`,
    )
  if (answer.kind === 'refused' && answer.code === 'missing_scope')
    return failed(
      `Slack support channel ${channel} could not be read: the app lacks ${answer.needed ?? 'channels:read'}`,
      'add channels:read and groups:read under OAuth & Permissions and reinstall the app to the workspace',
    )
  return otherwise('conversations.info', base, answer)
}

async function checkSocketMode(
  appToken: string,
  apiUrl: string | undefined,
  base: string,
  ctx: DoctorContext,
) {
  const client = clientFor(appToken, apiUrl, ctx)
  const answer = await ask(() => client.apps.connections.open(), ctx.timeoutMs)
  if (answer.kind === 'ok') return passed('Slack Socket Mode: SLACK_APP_TOKEN opens a connection')
  if (answer.kind !== 'refused') return otherwise('apps.connections.open', base, answer)
  const what = `Slack refused SLACK_APP_TOKEN (${answer.code})`
  if (BAD_TOKEN.has(answer.code))
    return failed(
      what,
      'SLACK_APP_TOKEN is wrong or revoked: create an app-level token with connections:write ' +
        '(Basic Information → App-Level Tokens) and copy it',
    )
  if (answer.code === 'not_allowed_token_type')
    return failed(
      what,
      'SLACK_APP_TOKEN must be an app-level token (xapp-…), from Basic Information → App-Level Tokens',
    )
  if (answer.code === 'missing_scope')
    return failed(
      what,
      'create an app-level token with the connections:write scope and put it in SLACK_APP_TOKEN',
    )
  return failed(
    what,
    'turn Socket Mode on in the app settings (Socket Mode → Enable), or unset SLACK_APP_TOKEN',
  )
}

/**
 * The Slack desk's settings, asked of Slack: the bot token works (auth.test), the app has every
 * scope the manifest asks for, the bot is in the support channel, and in Socket Mode the app token
 * opens a connection.
 */
export async function checkSlack(
  settings: Pick<SlackSettings, 'botToken' | 'appToken' | 'supportChannel' | 'apiUrl'>,
  ctx: DoctorContext,
): Promise<readonly DoctorCheck[]> {
  const base = settings.apiUrl ?? DEFAULT_API_URL
  const client = clientFor(settings.botToken, settings.apiUrl, ctx)
  const socket =
    settings.appToken === undefined
      ? undefined
      : checkSocketMode(settings.appToken, settings.apiUrl, base, ctx)
  const auth = await ask(() => client.auth.test(), ctx.timeoutMs)
  const checks: DoctorCheck[] = []
  if (auth.kind === 'ok') {
    const { user, team, team_id: teamId, url } = auth.result
    const bot = user ?? 'threaddesk'
    const host = url === undefined ? '' : ` (${url.replace(/^https?:\/\//, '').replace(/\/$/, '')})`
    checks.push(
      passed(`Slack: bot @${bot} in workspace ${team ?? teamId ?? '(unnamed)'}${host}`),
      checkScopes(auth.result.response_metadata?.scopes),
      await checkSupportChannel(client, settings.supportChannel, bot, base, ctx),
    )
  } else if (auth.kind === 'refused' && BAD_TOKEN.has(auth.code)) {
    checks.push(
      failed(
        `Slack refused SLACK_BOT_TOKEN (${auth.code})`,
        'SLACK_BOT_TOKEN is wrong or revoked: reinstall the app and copy the Bot User OAuth Token',
      ),
    )
  } else {
    checks.push(otherwise('auth.test', base, auth))
  }
  if (socket !== undefined) checks.push(await socket)
  return checks
}
