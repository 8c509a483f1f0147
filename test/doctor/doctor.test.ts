import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Migrator } from 'kysely'
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { CHANNEL_MODULES } from '../../adapters/index.js'
import { defineChannel } from '../../adapters/channel-module.js'
import { MANIFEST_BOT_SCOPES } from '../../adapters/slack/scopes.js'
import { migrations } from '../../migrations/index.js'
import { openDatabase } from '../../src/db/connection.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { databaseLabel } from '../../src/doctor/database.js'
import { doctor } from '../../src/doctor/run.js'
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-api.js'
import { startFakeGraph, type FakeGraph } from '../fakes/graph-api.js'
import { listen } from '../fakes/http.js'
import { lineChannel } from '../fakes/line-channel.js'
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api.js'
import { startFakeSlackSocket } from '../fakes/slack-socket.js'
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js'
import { expectLogged, testLog } from '../helpers/log.js'
import { tempDatabaseUrl } from '../helpers/temp-db.js'

const SLACK_TOKEN = 'xoxb-1111-2222-Zq8vLr3TnPw'
const TELEGRAM_TOKEN = '7001:AAFq9zXcVb7NmLkJhGfDsA3'
const WHATSAPP_TOKEN = 'EAAGwa9Qx7TkLmNpZr2'
const INSTAGRAM_TOKEN = 'IGQVJx4Rt8YuKwPz0'
const DISCORD_TOKEN = 'MTA0Ng.Gh7Xk2.Vb9sQpL3wE'
const PHONE_NUMBER_ID = '1015550100'
const INSTAGRAM_ID = '17841400000000001'
const MIGRATIONS = Object.keys(migrations)

/** A folder removed when the test ends. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'threaddesk-doctor-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A database (a SQLite file, or a schema on PostgreSQL) that has had the migrations up to `last` (all by default). */
async function database(last?: string): Promise<string> {
  const url = await tempDatabaseUrl()
  const db = openDatabase(url)
  if (last === undefined) await migrateToLatest(db)
  else
    await new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } }).migrateTo(last)
  await db.destroy()
  return url
}

/**
 * An address where nothing listens: a platform that does not answer. Port 2 (unassigned, privileged) is never in
 * use here; a port freed a moment ago could be taken by another process before the check runs.
 */
function closedPort(): string {
  return 'http://127.0.0.1:2'
}

/** Every line a person would read, and the exit status; no line may show a secret, not even a part of one. */
async function run(env: NodeJS.ProcessEnv, channels = CHANNEL_MODULES) {
  const lines: string[] = []
  const status = await doctor({ env, channels, log: testLog(), write: (line) => lines.push(line) })
  const secrets = Object.entries(env)
    .filter(([name]) => /TOKEN|SECRET/.test(name))
    .map(([, value]) => value ?? '')
  const output = lines.join('\n')
  for (const secret of secrets)
    for (let i = 0; i + 8 <= secret.length; i++) expect(output).not.toContain(secret.slice(i, i + 8))
  return { lines, status }
}

describe('npm run doctor', () => {
  let slack: FakeSlack
  let telegram: FakeTelegram
  let graph: FakeGraph
  let discord: FakeDiscord

  beforeEach(async () => {
    slack = await startFakeSlack()
    telegram = await startFakeTelegram(TELEGRAM_TOKEN)
    graph = await startFakeGraph()
    graph.nodes.set(PHONE_NUMBER_ID, { display_phone_number: '+1 555-0100', verified_name: 'Acme Support' })
    graph.nodes.set(INSTAGRAM_ID, { username: 'acme' })
    discord = await startFakeDiscord(DISCORD_TOKEN)
  })
  afterEach(async () => {
    await Promise.all([slack.close(), telegram.close(), graph.close(), discord.close()])
  })

  /** Slack and the database, and no customer channel. */
  const base = async (): Promise<NodeJS.ProcessEnv> => ({
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_SIGNING_SECRET: 'signing-secret-8c1f0e',
    SLACK_SUPPORT_CHANNEL: 'C0SUPPORT',
    SLACK_API_URL: slack.apiUrl,
    DATABASE_URL: await database(),
  })

  /** Every channel on, each against its fake. */
  const everything = async (): Promise<NodeJS.ProcessEnv> => {
    const dir = tempDir()
    const chromium = join(dir, 'chromium')
    writeFileSync(chromium, '#!/bin/sh\n')
    chmodSync(chromium, 0o755)
    return {
      ...(await base()),
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_API_ROOT: telegram.url,
      WHATSAPP_WEB_ENABLED: 'true',
      CHROMIUM_PATH: chromium,
      WHATSAPP_WEB_SESSION_DIR: join(dir, 'session'),
      META_APP_SECRET: 'meta-app-secret-9f3k',
      META_GRAPH_URL: graph.url,
      WHATSAPP_CLOUD_TOKEN: WHATSAPP_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      INSTAGRAM_ACCESS_TOKEN: INSTAGRAM_TOKEN,
      INSTAGRAM_ACCOUNT_ID: INSTAGRAM_ID,
      DISCORD_BOT_TOKEN: DISCORD_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
    }
  }

  it('passes a configuration that works, one line per check, and exits 0', async () => {
    const env = await everything()
    const { lines, status } = await run(env)
    const dir = join(String(env.CHROMIUM_PATH), '..')
    expect(lines).toEqual([
      '✓ configuration: Slack in HTTP mode; channels: telegram, whatsapp, whatsapp_cloud, instagram, discord',
      '✓ Slack: bot @threaddesk in workspace Acme (acme.slack.com)',
      `✓ Slack scopes: all ${MANIFEST_BOT_SCOPES.length} that slack-app-manifest.yaml asks for`,
      '✓ Slack support channel #support: the bot is a member',
      '✓ Telegram: bot @acme_support_bot',
      '✓ Telegram webhook: none set, as long polling needs',
      `✓ WhatsApp Web: browser ${join(dir, 'chromium')} is executable`,
      `✓ WhatsApp Web: session folder ${join(dir, 'session')} can be created`,
      '✓ WhatsApp Cloud API: phone number +1 555-0100 (Acme Support)',
      '✓ Instagram: account @acme',
      '✓ Discord: bot acme-support',
      `✓ database ${databaseLabel(String(env.DATABASE_URL))}: opens and takes writes`,
      `✓ database migrations: all ${MIGRATIONS.length} applied`,
    ])
    expect(status).toBe(0)
    expect(slack.callsOf('conversations.info')).toEqual([{ channel: 'C0SUPPORT' }])
  })

  it('names a configuration error in the line start-up prints, and exits 1', async () => {
    const { lines, status } = await run({ ...(await base()), SLACK_BOT_TOKEN: undefined })
    expect(lines).toEqual(['✗ Invalid configuration: SLACK_BOT_TOKEN is required (the bot token, xoxb-…)'])
    expect(status).toBe(1)
  })

  it('warns, without failing, when no customer channel is configured', async () => {
    const { lines, status } = await run(await base())
    expect(lines[0]).toBe('✓ configuration: Slack in HTTP mode; channels: none')
    expect(lines.at(-1)).toBe(
      '! No customer channel is configured, so no customer can reach the desk: set one up (TELEGRAM_BOT_TOKEN is the quickest; see .env.example).',
    )
    expect(status).toBe(0)
  })

  describe('Slack', () => {
    it('a revoked bot token says to reinstall the app, and checks nothing that needs it', async () => {
      slack.failNext('auth.test', { error: 'invalid_auth' })
      const { lines, status } = await run(await base())
      expect(lines.filter((l) => /^. Slack/.test(l))).toEqual([
        '✗ Slack refused SLACK_BOT_TOKEN (invalid_auth) — SLACK_BOT_TOKEN is wrong or revoked: ' +
          'reinstall the app and copy the Bot User OAuth Token',
      ])
      expect(status).toBe(1)
    })

    it('lists the scopes the manifest asks for that the app was not granted', async () => {
      slack.grantScopes(MANIFEST_BOT_SCOPES.filter((s) => s !== 'reactions:write' && s !== 'users:read'))
      const { lines, status } = await run(await base())
      expect(lines).toContain(
        '✗ Slack app lacks scopes: reactions:write, users:read — add them under OAuth & Permissions → ' +
          'Bot Token Scopes (slack-app-manifest.yaml lists them) and reinstall the app to the workspace',
      )
      expect(status).toBe(1)
    })

    it('says to invite the bot to a support channel it is not in', async () => {
      slack.conversation('C0SUPPORT', { is_member: false })
      const { lines, status } = await run(await base())
      expect(lines).toContain(
        '✗ Slack support channel #support: the bot is not a member — invite the app: type /invite @threaddesk in #support',
      )
      expect(status).toBe(1)
    })

    it('says to check SLACK_SUPPORT_CHANNEL when Slack knows no such channel', async () => {
      slack.failNext('conversations.info', { error: 'channel_not_found' })
      const { lines, status } = await run(await base())
      expect(lines).toContain(
        '✗ Slack support channel C0SUPPORT not found (channel_not_found) — check SLACK_SUPPORT_CHANNEL ' +
          "(the channel's id: its name → About, at the bottom) and invite the app to that channel (/invite @threaddesk)",
      )
      expect(status).toBe(1)
    })

    it('in Socket Mode, opens a connection with the app token, and says when Slack refuses it', async () => {
      const socket = await startFakeSlackSocket()
      const socketSlack = await startFakeSlack({ socket })
      onTestFinished(async () => {
        await socketSlack.close()
        await socket.close()
      })
      const env = {
        ...(await base()),
        SLACK_SIGNING_SECRET: undefined,
        SLACK_API_URL: socketSlack.apiUrl,
        SLACK_APP_TOKEN: 'xapp-1-A0-4d5e6fQwErTy',
      }

      const good = await run(env)
      expect(good.lines[0]).toBe('✓ configuration: Slack in Socket Mode; channels: none')
      expect(good.lines).toContain('✓ Slack Socket Mode: SLACK_APP_TOKEN opens a connection')
      expect(good.status).toBe(0)

      socketSlack.failNext('apps.connections.open', { error: 'invalid_auth' })
      const bad = await run(env)
      expect(bad.lines).toContain(
        '✗ Slack refused SLACK_APP_TOKEN (invalid_auth) — SLACK_APP_TOKEN is wrong or revoked: create an ' +
          'app-level token with connections:write (Basic Information → App-Level Tokens) and copy it',
      )
      expect(bad.status).toBe(1)
    })
  })

  describe('Telegram', () => {
    const withTelegram = async (extra: NodeJS.ProcessEnv = {}) => ({
      ...(await base()),
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_API_ROOT: telegram.url,
      ...extra,
    })

    it('a token Telegram does not know says where to copy it from', async () => {
      const { lines, status } = await run(
        await withTelegram({ TELEGRAM_BOT_TOKEN: '7001:AAWrongWrongWrong99' }),
      )
      expect(lines.filter((l) => /^. Telegram/.test(l))).toEqual([
        '✗ Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized) — copy the token again from @BotFather ' +
          '(/mybots → your bot → API Token) into TELEGRAM_BOT_TOKEN',
      ])
      expect(status).toBe(1)
    })

    it('a webhook set while threaddesk polls would make getUpdates answer 409: it says what to do', async () => {
      telegram.setWebhookInfo({ url: 'https://old-host.example.com/webhooks/telegram?secret=x' })
      const { lines, status } = await run(await withTelegram())
      expect(lines).toContain(
        '✗ Telegram webhook is set to https://old-host.example.com/webhooks/telegram while threaddesk polls ' +
          '(getUpdates would answer 409 Conflict) — if another deployment uses this bot, give this one its own bot ' +
          '(@BotFather) or use webhook mode here (PUBLIC_URL and TELEGRAM_WEBHOOK_SECRET); if nothing else does, ' +
          'threaddesk deletes the webhook when it starts',
      )
      expect(status).toBe(1)
    })

    it('in webhook mode, the webhook must be PUBLIC_URL + /webhooks/telegram', async () => {
      const env = await withTelegram({
        PUBLIC_URL: 'https://desk.example.com/',
        TELEGRAM_WEBHOOK_SECRET: 'hook-secret-4Rt9',
      })
      const notYet = await run(env)
      expect(notYet.lines).toContain(
        '! Telegram webhook not set yet: threaddesk sets it to https://desk.example.com/webhooks/telegram when it starts',
      )
      expect(notYet.status).toBe(0)

      telegram.setWebhookInfo({ url: 'https://desk.example.com/webhooks/telegram' })
      expect((await run(env)).lines).toContain(
        '✓ Telegram webhook: https://desk.example.com/webhooks/telegram',
      )

      telegram.setWebhookInfo({ url: 'https://staging.example.com/webhooks/telegram' })
      const elsewhere = await run(env)
      expect(elsewhere.lines).toContain(
        '✗ Telegram webhook is https://staging.example.com/webhooks/telegram, not https://desk.example.com/webhooks/telegram' +
          ' — threaddesk sets it when it starts; if another deployment uses this bot, give each its own bot (@BotFather); ' +
          'otherwise check PUBLIC_URL',
      )
      expect(elsewhere.status).toBe(1)
    })
  })

  describe('Meta and Discord', () => {
    const withMeta = async (): Promise<NodeJS.ProcessEnv> => ({
      ...(await base()),
      META_APP_SECRET: 'meta-app-secret-9f3k',
      META_GRAPH_URL: graph.url,
      WHATSAPP_CLOUD_TOKEN: WHATSAPP_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    })

    it('a Graph token Meta refuses says how to make a lasting one', async () => {
      graph.revoke(WHATSAPP_TOKEN)
      const { lines, status } = await run(await withMeta())
      expect(lines).toContain(
        '✗ WhatsApp Cloud API refused WHATSAPP_CLOUD_TOKEN (401, code 190: Error validating access token: ' +
          'The session has been invalidated.) — generate a permanent token for a system user ' +
          '(Business Settings → System users) with whatsapp_business_messaging and whatsapp_business_management, ' +
          'and put it in WHATSAPP_CLOUD_TOKEN',
      )
      expect(status).toBe(1)
    })

    it('a phone number id the token cannot read says where the right one is', async () => {
      graph.nodes.delete(PHONE_NUMBER_ID)
      const { lines } = await run(await withMeta())
      expect(lines).toContain(
        `✗ WhatsApp Cloud API cannot read WHATSAPP_PHONE_NUMBER_ID ${PHONE_NUMBER_ID} (400, code 100: ` +
          "Unsupported get request) — copy the phone number id (not the number) from the app's WhatsApp → " +
          'API Setup page into WHATSAPP_PHONE_NUMBER_ID, and give the token access to that WhatsApp account',
      )
    })

    it('a Discord token refused with 401 says to reset it', async () => {
      const env = {
        ...(await base()),
        DISCORD_BOT_TOKEN: 'MTA0Nw.Zz9Yy8.WrongWrongXx',
        DISCORD_API_URL: discord.apiUrl,
      }
      const { lines, status } = await run(env)
      expect(lines).toContain(
        '✗ Discord refused DISCORD_BOT_TOKEN (401 Unauthorized) — reset the token in the Developer Portal ' +
          '(your application → Bot → Reset Token) and copy it into DISCORD_BOT_TOKEN',
      )
      expect(status).toBe(1)
    })
  })

  it('a secret a platform echoes back is never printed', async () => {
    discord.failNext({ status: 403, code: 50001, message: `Missing Access for ${DISCORD_TOKEN}` })
    const env = { ...(await base()), DISCORD_BOT_TOKEN: DISCORD_TOKEN, DISCORD_API_URL: discord.apiUrl }
    const { lines } = await run(env)
    expect(lines).toContain(
      '✗ Discord answered 403: Missing Access for [redacted] — try again later; if it persists, check DISCORD_API_URL',
    )
  })

  describe('platforms that do not answer', () => {
    it('a closed port is a failed line for that platform; the other checks still run', async () => {
      const closed = closedPort()
      const env = {
        ...(await everything()),
        SLACK_API_URL: `${closed}/api/`,
        TELEGRAM_API_ROOT: closed,
      }
      const { lines, status } = await run(env)
      expect(lines.filter((l) => /^. (Slack|Telegram)/.test(l))).toEqual([
        `✗ Slack could not be reached at ${closed}/api/ (connection refused) — check the network, a proxy or firewall, and SLACK_API_URL`,
        `✗ Telegram could not be reached at ${closed} (connection refused) — check the network, a proxy or firewall, and TELEGRAM_API_ROOT`,
      ])
      expect(lines).toContain('✓ Discord: bot acme-support')
      expect(status).toBe(1)
    })

    it('Slack never answering is given up on after SEND_TIMEOUT_MS', async () => {
      const silent = await listen(() => new Promise<void>(() => undefined))
      onTestFinished(() => silent.close())
      const env = { ...(await base()), SEND_TIMEOUT_MS: '300', SLACK_API_URL: `${silent.url}/api/` }
      const { lines, status } = await run(env)
      expect(lines).toContain(
        `✗ Slack could not be reached at ${silent.url}/api/ (no answer within 0.3 s) — check the network, a proxy or firewall, and SLACK_API_URL`,
      )
      expect(status).toBe(1)
    })

    it('a channel that never answers is given up on after SEND_TIMEOUT_MS', async () => {
      const silent = await listen(() => new Promise<void>(() => undefined))
      onTestFinished(() => silent.close())
      const env = {
        ...(await base()),
        SEND_TIMEOUT_MS: '300',
        DISCORD_BOT_TOKEN: DISCORD_TOKEN,
        DISCORD_API_URL: `${silent.url}/api`,
      }
      const { lines, status } = await run(env)
      expect(lines).toContain(
        `✗ Discord could not be reached at ${silent.url}/api (no answer within 0.3 s) — check the network, a proxy or firewall, and DISCORD_API_URL`,
      )
      expect(status).toBe(1)
    })
  })

  describe('database', () => {
    it('lists the migrations the database has not had, and says to run npm run migrate', async () => {
      const url = await database(MIGRATIONS.at(-3))
      const { lines, status } = await run({ ...(await base()), DATABASE_URL: url })
      expect(lines).toContain(
        `✗ database migrations pending: ${MIGRATIONS.slice(-2).join(', ')} — run \`npm run migrate\``,
      )
      expect(status).toBe(1)
    })

    it('a database that does not exist yet is not created by the doctor', async () => {
      const path = join(tempDir(), 'new', 'desk.db')
      const { lines, status } = await run({ ...(await base()), DATABASE_URL: `file:${path}` })
      expect(lines).toContain(`✗ database ${path} does not exist yet — run \`npm run migrate\` to create it`)
      expect(status).toBe(1)
      expect(existsSync(join(path, '..'))).toBe(false) // nothing created: that is start-up's and migrate's
    })

    it('a PostgreSQL server that does not answer is a failed line that names it without its credentials', async () => {
      const port = new URL(closedPort()).port
      const url = `postgres://desk:hunter2-pw@127.0.0.1:${port}/threaddesk`
      const { lines, status } = await run({ ...(await base()), DATABASE_URL: url })
      expect(lines).toContain(
        `✗ database 127.0.0.1:${port}/threaddesk (PostgreSQL) cannot be used (connect ECONNREFUSED 127.0.0.1:${port}) — check DATABASE_URL (host, port, user, password, database name) and that this user may create tables there`,
      )
      expect(lines.join('\n')).not.toContain('hunter2')
      expect(status).toBe(1)
    })
  })

  describe('channels', () => {
    it('a WhatsApp Web browser that is not there says how to install one', async () => {
      const env = {
        ...(await base()),
        WHATSAPP_WEB_ENABLED: 'true',
        CHROMIUM_PATH: '/nonexistent/chromium',
        WHATSAPP_WEB_SESSION_DIR: join(tempDir(), 'session'),
      }
      const { lines, status } = await run(env)
      expect(lines).toContain(
        '✗ WhatsApp Web: CHROMIUM_PATH /nonexistent/chromium does not exist — install Chromium ' +
          '(apt-get install chromium) and set CHROMIUM_PATH to its program, e.g. /usr/bin/chromium',
      )
      expect(status).toBe(1)
    })

    it('a channel without checks is said, and one whose check crashes is a failed line, not a crash', async () => {
      const line = lineChannel()
      const broken = defineChannel({
        ...line.module,
        id: 'broken',
        label: 'Broken',
        env: {},
        read: () => ({}),
        doctor: () => Promise.reject(new Error('boom')),
      })
      expectLogged('a doctor check crashed', { check: 'Broken' })
      const env = { ...(await base()), LINE_CHANNEL_TOKEN: 'line-token-5Gh2' }
      const { lines, status } = await run(env, [...CHANNEL_MODULES, line.module, broken])
      expect(lines).toContain('! LINE (line): threaddesk has no checks for this channel')
      expect(lines).toContain(
        '✗ Broken could not be checked (boom) — a bug in threaddesk: the log has its stack',
      )
      expect(status).toBe(1)
    })
  })
})
