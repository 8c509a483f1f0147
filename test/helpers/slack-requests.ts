import { createHmac } from 'node:crypto'

export const SIGNING_SECRET = 'test-signing-secret-0123456789'

/** Signs a body exactly as Slack does: v0=HMAC-SHA256(secret, "v0:{ts}:{body}"). */
export function slackSignature(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`
}

export interface SlackPostOptions {
  readonly secret?: string
  /** Seconds since the epoch; defaults to now. */
  readonly timestamp?: number
  readonly retryNum?: number
}

/** POSTs a signed request to the bot's Slack endpoint, as Slack would. */
export async function postToSlackEndpoint(
  baseUrl: string,
  body: string,
  contentType: string,
  opts: SlackPostOptions = {},
): Promise<Response> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000)
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(body, timestamp, opts.secret),
      ...(opts.retryNum !== undefined && {
        'x-slack-retry-num': String(opts.retryNum),
        'x-slack-retry-reason': 'http_timeout',
      }),
    },
    body,
  })
}

let eventSeq = 0

/** An Events API envelope around one event. */
export function eventEnvelope(event: Record<string, unknown>, eventId = `Ev${++eventSeq}`): string {
  return JSON.stringify({
    token: 'legacy',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
  })
}

let tsSeq = 0
/** A new message ts, later than any the fake Slack hands out. */
export const newTs = (): string => `1763890000.${String(++tsSeq).padStart(6, '0')}`

/** A slash command as Slack posts it (form-encoded). */
export function slashCommandBody(
  command: string,
  text: string,
  userId: string,
  channelId = 'CSUPPORT',
): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    channel_id: channelId,
    user_id: userId,
    user_name: userId.toLowerCase(),
    command,
    text,
    api_app_id: 'A1',
    response_url: 'https://hooks.slack.com/commands/T1/1/x',
    trigger_id: 'trigger.1',
  }).toString()
}

/** An interactive payload (buttons, shortcuts, view submissions) as Slack posts it. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString()
}
