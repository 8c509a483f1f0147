import { createThreaddesk, type AppOptions } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import type { ChannelModule } from '../../adapters/channel-module.js'
import { seedRoles } from '../../src/core/agents.js'
import { metaSignature } from '../../adapters/meta/webhook.js'
import { startFakeGraph } from '../fakes/graph-api.js'
import { startFakeSlack } from '../fakes/slack-api.js'
import { startFakeSlackSocket } from '../fakes/slack-socket.js'
import { INSTAGRAM_ACCOUNT_ID } from '../fixtures/instagram.js'
import { PHONE_NUMBER_ID } from '../fixtures/whatsapp-cloud.js'
import { startFakeTelegram, type TelegramUpdate } from '../fakes/telegram-api.js'
import { manualClock } from './clock.js'
import { testDatabaseUrl } from './db.js'
import { testLog } from './log.js'
import {
  eventEnvelope,
  interactionBody,
  newTs,
  postToSlackEndpoint,
  SIGNING_SECRET,
  slashCommandBody,
  type SlackPostOptions,
} from './slack-requests.js'

export const TELEGRAM_TOKEN = '123456:TEST-token'
export const SUPPORT_CHANNEL = 'CSUPPORT'
export const SUPERVISOR = 'USUPER'
export const AGENT = 'UAGENT'
export const OTHER_AGENT = 'UOTHER'
export const WEBHOOK_SECRET = 'tg-secret_123'
export const META_APP_SECRET = 'meta-app-secret-123'
export const META_VERIFY_TOKEN = 'verify-me'
export const SLACK_APP_TOKEN = 'xapp-1-A1-1763888400-test'

export interface HarnessOptions {
  readonly telegram?: 'polling' | 'webhook'
  /** Enables the WhatsApp Cloud API against the fake Graph API. */
  readonly whatsappCloud?: boolean
  /** Enables Instagram against the fake Graph API. */
  readonly instagram?: boolean
  /** Slack in Socket Mode (SLACK_APP_TOKEN set) against the fake socket, instead of HTTP mode. */
  readonly socketMode?: boolean
  readonly env?: Record<string, string>
  readonly app?: Partial<AppOptions>
  /** The registered channels, when a test adds its own. */
  readonly channelModules?: readonly ChannelModule[]
}

/**
 * The whole bot on loopback: real Bolt and grammY talking to fake Slack and Telegram servers,
 * a database of its own (test/helpers/db.ts), a manual clock, and an outbox drained by hand.
 */
export async function startHarness(opts: HarnessOptions = {}) {
  const socket = opts.socketMode === true ? await startFakeSlackSocket() : undefined
  const slack = await startFakeSlack(socket === undefined ? {} : { socket })
  const telegram = await startFakeTelegram(TELEGRAM_TOKEN)
  const graph = await startFakeGraph()
  const clock = manualClock()
  const log = testLog()
  // A database of the test's own (SQLite in memory, or a schema on TEST_DATABASE_URL's server),
  // unless the test brings one.
  const databaseUrl =
    opts.env?.DATABASE_URL ?? (opts.app?.db === undefined ? await testDatabaseUrl() : ':memory:')
  const config = loadConfig(
    {
      DATABASE_URL: databaseUrl,
      PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_SUPPORT_CHANNEL: SUPPORT_CHANNEL,
      SLACK_API_URL: slack.apiUrl,
      ...(socket !== undefined && { SLACK_APP_TOKEN }),
      SLACK_SUPERVISORS: SUPERVISOR,
      // Replies leave at once unless a test is about the undo window.
      REPLY_DELAY_S: '0',
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_API_ROOT: telegram.url,
      ...(opts.telegram === 'webhook' && {
        PUBLIC_URL: 'https://desk.example.com',
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      }),
      ...(opts.whatsappCloud === true && {
        META_APP_SECRET,
        META_VERIFY_TOKEN,
        META_GRAPH_URL: graph.url,
        WHATSAPP_CLOUD_TOKEN: 'EAAG-test-token',
        WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      }),
      ...(opts.instagram === true && {
        META_APP_SECRET,
        META_GRAPH_URL: graph.url,
        INSTAGRAM_ACCESS_TOKEN: 'IGAA-test-token',
        INSTAGRAM_ACCOUNT_ID,
      }),
      ...opts.env,
    },
    opts.channelModules,
  )
  const app = await createThreaddesk(config, {
    log,
    clock,
    runOutbox: false,
    runScheduler: false,
    host: '127.0.0.1',
    // The clock stands still unless a test moves it: pacing would hold back every second post.
    outboxPolicy: { paced: false },
    ...opts.app,
  })
  // The people the tests act as are agents the desk knows, as an admin would have added them.
  await seedRoles(app.db, [AGENT, OTHER_AGENT], 'agent', new Date().toISOString())
  await app.start()
  await app.channelsStarted()
  const base = `http://127.0.0.1:${app.port}`

  return {
    app,
    db: app.db,
    slack,
    /** The fake Slack socket, in Socket Mode. */
    socket,
    telegram,
    graph,
    clock,
    /** What the app logged; an error line the test did not declare with expectLogged fails it. */
    log,
    base,

    /** Posts a signed Events API event. */
    event: (event: Record<string, unknown>, post?: SlackPostOptions & { eventId?: string }) =>
      postToSlackEndpoint(base, eventEnvelope(event, post?.eventId), 'application/json', post),

    /** An agent's message in a ticket's thread. */
    threadReply: (
      threadTs: string,
      user: string,
      text: string,
      post?: SlackPostOptions & { eventId?: string; ts?: string },
    ) =>
      postToSlackEndpoint(
        base,
        eventEnvelope(
          {
            type: 'message',
            channel: SUPPORT_CHANNEL,
            channel_type: 'channel',
            user,
            text,
            ts: post?.ts ?? newTs(),
            thread_ts: threadTs,
          },
          post?.eventId,
        ),
        'application/json',
        post,
      ),

    /** Runs a slash command; resolves with the ephemeral text it answered. */
    async slash(command: string, text: string, user: string): Promise<string> {
      const res = await postToSlackEndpoint(
        base,
        slashCommandBody(command, text, user),
        'application/x-www-form-urlencoded',
      )
      const body = await res.text()
      return body === '' ? '' : ((JSON.parse(body) as { text?: string }).text ?? '')
    },

    interact: (payload: Record<string, unknown>) =>
      postToSlackEndpoint(base, interactionBody(payload), 'application/x-www-form-urlencoded'),

    /** Delivers a Telegram update by webhook, with the secret Telegram would send. */
    webhook: (update: TelegramUpdate | string, secret: string | null = WEBHOOK_SECRET) =>
      fetch(`${base}/webhooks/telegram`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret !== null && { 'x-telegram-bot-api-secret-token': secret }),
        },
        body: typeof update === 'string' ? update : JSON.stringify(update),
      }),

    /** Posts a Meta webhook, signed with the app secret unless told otherwise. */
    meta: (body: unknown, signature?: string | null) => {
      const raw = typeof body === 'string' ? body : JSON.stringify(body)
      const sig = signature === undefined ? metaSignature(raw, META_APP_SECRET) : signature
      return fetch(`${base}/webhooks/meta`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(sig !== null && { 'x-hub-signature-256': sig }) },
        body: raw,
      })
    },

    async stop() {
      await app.stop()
      await graph.close()
      await slack.close()
      await socket?.close()
      await telegram.close()
    },
  }
}
export type Harness = Awaited<ReturnType<typeof startHarness>>
