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
  /** Gives up waiting for the answer (Slack waits 3 s). */
  readonly signal?: AbortSignal
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
    ...(opts.signal !== undefined && { signal: opts.signal }),
  })
}

let eventSeq = 0

/** An Events API callback around one event: the payload of a Socket Mode `events_api` envelope. */
export function eventCallback(event: Record<string, unknown>, eventId = `Ev${++eventSeq}`) {
  return {
    token: 'legacy',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
  }
}

/** An Events API envelope around one event, as Slack posts it. */
export function eventEnvelope(event: Record<string, unknown>, eventId?: string): string {
  return JSON.stringify(eventCallback(event, eventId))
}

let tsSeq = 0
/** A new message ts, later than any the fake Slack hands out. */
export const newTs = (): string => `1763890000.${String(++tsSeq).padStart(6, '0')}`

/** A slash command's fields: the payload of a Socket Mode `slash_commands` envelope. */
export function slashCommand(command: string, text: string, userId: string, channelId = 'CSUPPORT') {
  return {
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
  }
}

/** A slash command as Slack posts it (form-encoded). */
export function slashCommandBody(
  command: string,
  text: string,
  userId: string,
  channelId = 'CSUPPORT',
): string {
  return new URLSearchParams(slashCommand(command, text, userId, channelId)).toString()
}

/** An interactive payload (buttons, shortcuts, view submissions) as Slack posts it. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString()
}

const team = { id: 'T1', domain: 'acme' }
const user = (id: string) => ({ id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: 'T1' })

/** A block_actions payload: `action` pressed or picked on a message in `channel`. */
export function blockActions(
  userId: string,
  channel: string,
  messageTs: string,
  action: Record<string, unknown>,
) {
  return {
    type: 'block_actions',
    user: user(userId),
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: `trigger.${messageTs}`,
    team,
    container: { type: 'message', message_ts: messageTs, channel_id: channel },
    channel: { id: channel, name: 'support' },
    message: { type: 'message', ts: messageTs, text: 'root' },
    response_url: 'https://hooks.slack.com/actions/x',
    actions: [{ block_id: 'b', action_ts: '1.1', ...action }],
  }
}

/** A message shortcut used on `message` in `channel`. */
export function messageShortcut(
  userId: string,
  channel: string,
  callbackId: string,
  message: Record<string, unknown>,
) {
  return {
    type: 'message_action',
    callback_id: callbackId,
    trigger_id: `trigger.${callbackId}`,
    action_ts: '1.1',
    team,
    user: user(userId),
    channel: { id: channel, name: 'support' },
    message_ts: message.ts,
    message: { type: 'message', ...message },
    response_url: 'https://hooks.slack.com/app/x',
    token: 'legacy',
  }
}

/** A modal submitted with these input values (block id → action id → value). */
export function viewSubmission(
  userId: string,
  view: { callback_id: string; private_metadata: string },
  values: Record<string, Record<string, unknown>>,
) {
  return {
    type: 'view_submission',
    team,
    user: user(userId),
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: 'trigger.view',
    view: { id: 'V1', team_id: 'T1', type: 'modal', ...view, state: { values }, hash: 'h' },
  }
}
