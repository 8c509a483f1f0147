import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Migrator } from 'kysely'
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { CHANNEL_MODULES } from '../../adapters/index.js'
import { MANIFEST_BOT_SCOPES } from '../../adapters/slack/scopes.js'
import { migrations } from '../../migrations/index.js'
import { sqlitePath, openDatabase } from '../../src/db/connection.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { doctor } from '../../src/doctor/run.js'
import { listen } from '../fakes/http.js'
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api.js'
import { startFakeSlackSocket } from '../fakes/slack-socket.js'
import { testLog } from '../helpers/log.js'
import { tempDatabaseUrl } from '../helpers/temp-db.js'

const SLACK_TOKEN = 'xoxb-1111-2222-Zq8vLr3TnPw'
const MIGRATIONS = Object.keys(migrations)

/** A folder removed when the test ends. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'threaddesk-doctor-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A SQLite file that has had the migrations up to `last` (all by default). */
async function database(last?: string): Promise<string> {
  const url = tempDatabaseUrl()
  const db = openDatabase(url)
  if (last === undefined) await migrateToLatest(db)
  else
    await new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } }).migrateTo(last)
  await db.destroy()
  return url
}

/** An address where nothing listens: a platform that does not answer. */
async function closedPort(): Promise<string> {
  const server = await listen(() => Promise.resolve())
  await server.close()
  return server.url
}

/** Every line a person would read, and the exit status; no line may show a secret, not even a part of one. */
async function run(env: NodeJS.ProcessEnv) {
  const lines: string[] = []
  const status = await doctor({
    env,
    channels: CHANNEL_MODULES,
    log: testLog(),
    write: (line) => lines.push(line),
  })
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

  beforeEach(async () => {
    slack = await startFakeSlack()
  })
  afterEach(async () => {
    await slack.close()
  })

  /** Slack and the database, and no customer channel. */
  const base = async (): Promise<NodeJS.ProcessEnv> => ({
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_SIGNING_SECRET: 'signing-secret-8c1f0e',
    SLACK_SUPPORT_CHANNEL: 'C0SUPPORT',
    SLACK_API_URL: slack.apiUrl,
    DATABASE_URL: await database(),
  })

  it('passes a configuration that works, one line per check, and exits 0', async () => {
    const env = await base()
    const { lines, status } = await run(env)
    expect(lines).toEqual([
      '✓ configuration: Slack in HTTP mode; channels: none',
      '✓ Slack: bot @threaddesk in workspace Acme (acme.slack.com)',
      `✓ Slack scopes: all ${MANIFEST_BOT_SCOPES.length} that slack-app-manifest.yaml asks for`,
      '✓ Slack support channel #support: the bot is a member',
      `✓ database ${sqlitePath(String(env.DATABASE_URL))}: opens and takes writes`,
      `✓ database migrations: all ${MIGRATIONS.length} applied`,
      '! no customer channel is configured — set the variables of at least one ' +
        '(TELEGRAM_BOT_TOKEN, WHATSAPP_CLOUD_TOKEN…; see .env.example) so customers can reach you',
    ])
    expect(status).toBe(0)
    expect(slack.callsOf('conversations.info')).toEqual([{ channel: 'C0SUPPORT' }])
  })

  it('names a configuration error in the line start-up prints, and exits 1', async () => {
    const { lines, status } = await run({ ...(await base()), SLACK_BOT_TOKEN: undefined })
    expect(lines).toEqual(['✗ Invalid configuration: SLACK_BOT_TOKEN is required'])
    expect(status).toBe(1)
  })

  it('warns, without failing, when no customer channel is configured', async () => {
    const { lines, status } = await run(await base())
    expect(lines[0]).toBe('✓ configuration: Slack in HTTP mode; channels: none')
    expect(lines.at(-1)).toBe(
      '! no customer channel is configured — set the variables of at least one ' +
        '(TELEGRAM_BOT_TOKEN, WHATSAPP_CLOUD_TOKEN…; see .env.example) so customers can reach you',
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

  describe('platforms that do not answer', () => {
    it('a closed port is a failed line for that platform; the other checks still run', async () => {
      const closed = await closedPort()
      const { lines, status } = await run({ ...(await base()), SLACK_API_URL: `${closed}/api/` })
      expect(lines.filter((l) => /^. Slack/.test(l))).toEqual([
        `✗ Slack could not be reached at ${closed}/api/ (connection refused) — check the network, a proxy or firewall, and SLACK_API_URL`,
      ])
      expect(lines).toContain(`✓ database migrations: all ${MIGRATIONS.length} applied`)
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
  })
})
