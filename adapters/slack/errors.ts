import { ErrorCode, type WebAPICallError } from '@slack/web-api'
import { DeskError } from '../../src/core/errors.js'

const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
])
const SLACK_ERROR_CODE = /^[a-z][a-z0-9_]*$/
/** The channel itself will not take posts: a rule that routes there needs another channel. */
const CHANNEL_REFUSED = new Set(['channel_not_found', 'not_in_channel', 'is_archived'])
const HINTS: Record<string, string> = {
  invalid_auth: 'check SLACK_BOT_TOKEN',
  not_authed: 'check SLACK_BOT_TOKEN',
  token_revoked: 'the app was uninstalled or its token revoked; reinstall it and update SLACK_BOT_TOKEN',
  channel_not_found: 'check SLACK_SUPPORT_CHANNEL, and invite the app to that channel',
  not_in_channel: 'invite the app to the channel (/invite @threaddesk)',
  missing_scope: 'the app lacks a scope; reinstall it from slack-app-manifest.yaml',
}

/** A Web API failure as a DeskError: retry what time can fix, and say what the operator must fix. */
export function toDeskError(method: string, error: unknown): DeskError {
  const e = error as Partial<WebAPICallError>
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return new DeskError('rate_limited', `Slack ${method} is rate limited`, {
        retryAfterMs: (e as { retryAfter: number }).retryAfter * 1000,
        cause: error,
        platformCode: 'ratelimited',
      })
    case ErrorCode.HTTPError: {
      const status = (e as { statusCode: number }).statusCode
      return new DeskError(
        status >= 500 ? 'unavailable' : 'rejected',
        `Slack ${method} answered HTTP ${status}`,
        {
          retryable: status >= 500 || status === 408,
          cause: error,
        },
      )
    }
    case ErrorCode.RequestError:
      return new DeskError('unavailable', `Slack ${method} could not be reached`, { cause: error })
    case ErrorCode.PlatformError: {
      const code = (e as { data?: { error?: unknown } }).data?.error
      // Slack names every error in snake_case. Anything else is the text of an answer the client could
      // not read (a body cut short, a proxy's page), which a retry may fix. That text may echo what was
      // posted, so it stays out of the error and the logs.
      if (typeof code !== 'string' || !SLACK_ERROR_CODE.test(code))
        return new DeskError('unavailable', `Slack ${method} answered with a body that is not Slack's JSON`)
      const hint = HINTS[code]
      return new DeskError(
        TRANSIENT.has(code) ? 'unavailable' : CHANNEL_REFUSED.has(code) ? 'not_found' : 'rejected',
        `Slack ${method} failed: ${code}${hint === undefined ? '' : ` (${hint})`}`,
        { cause: error, platformCode: code },
      )
    }
    default:
      return new DeskError('unavailable', `Slack ${method} failed: ${String(error)}`, { cause: error })
  }
}

/** Runs a Web API call, turning its failure into a DeskError. */
export async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw toDeskError(method, error)
  }
}
