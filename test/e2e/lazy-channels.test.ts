import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BotProcess } from '../faults/bot-process.js'
import { waitFor } from '../faults/wait.js'
import { freePort } from '../faults/world.js'
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-api.js'
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api.js'
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js'
import { SIGNING_SECRET } from '../helpers/slack-requests.js'

const TELEGRAM_TOKEN = '123456:LAZY-token'
const DISCORD_TOKEN = 'discord-lazy-token'
/** What a channel that is off must not cost: its SDK, and what that SDK drags in (a browser driver). */
const SDKS_OF_CHANNELS_OFF = ['discord.js', 'whatsapp-web.js', 'puppeteer', 'puppeteer-core', 'qrcode']

interface Readiness {
  readonly channels: Record<string, { ok: boolean; detail?: string }>
}

/**
 * The bot from its sources, as `npm run dev` starts it, with a preload that lists the npm packages
 * it loaded when it exits.
 */
async function startAndList(
  env: Record<string, string>,
  settled: (r: Readiness) => boolean,
): Promise<{ readiness: Readiness; packages: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'threaddesk-lazy-'))
  const port = await freePort()
  const packagesFile = join(dir, 'packages.json')
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  const bot = new BotProcess({
    incarnation: 1,
    mainJs: resolve(import.meta.dirname, '../../src/main.ts'),
    nodeArgs: ['--import', tsx, '--import', resolve(import.meta.dirname, '../helpers/packages-on-exit.ts')],
    cwd: dir,
    env: { DATABASE_URL: ':memory:', PORT: String(port), PACKAGES_FILE: packagesFile, ...env },
    port,
    logFile: join(dir, 'bot.log'),
  })
  try {
    const readiness = await waitFor(
      'the bot to say how its channels started',
      async () => {
        if (!bot.alive) throw new Error(`the bot exited: ${readFileSync(join(dir, 'bot.log'), 'utf8')}`)
        const answer = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.json() as Promise<Readiness>,
          () => undefined,
        )
        return answer !== undefined && settled(answer) && answer
      },
      30_000,
    )
    expect(await bot.stop(10_000)).toBeUndefined()
    return { readiness, packages: JSON.parse(readFileSync(packagesFile, 'utf8')) as string[] }
  } finally {
    await bot.stop(1_000)
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Only the SDKs of the channels that are on are loaded: a channel that is off costs no memory. */
describe('channels that are off', () => {
  let slack: FakeSlack
  let telegram: FakeTelegram
  let discord: FakeDiscord
  let base: Record<string, string>

  beforeAll(async () => {
    slack = await startFakeSlack()
    telegram = await startFakeTelegram(TELEGRAM_TOKEN)
    discord = await startFakeDiscord(DISCORD_TOKEN)
    base = {
      SLACK_BOT_TOKEN: 'xoxb-lazy-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_SUPPORT_CHANNEL: 'CSUPPORT',
      SLACK_API_URL: slack.apiUrl,
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_API_ROOT: telegram.url,
    }
  })
  afterAll(async () => {
    await slack.close()
    await telegram.close()
    await discord.close()
  })

  it('are not loaded: with only Telegram on, neither discord.js nor whatsapp-web.js is', async () => {
    const { readiness, packages } = await startAndList(base, (r) => r.channels.telegram?.ok === true)
    expect(Object.keys(readiness.channels)).toEqual(['telegram'])
    expect(packages).toContain('grammy')
    for (const sdk of SDKS_OF_CHANNELS_OFF) expect(packages).not.toContain(sdk)
  }, 60_000)

  it('is loaded once turned on: Discord starts through discord.js', async () => {
    const { readiness, packages } = await startAndList(
      { ...base, DISCORD_BOT_TOKEN: DISCORD_TOKEN, DISCORD_API_URL: discord.apiUrl },
      (r) => r.channels.telegram?.ok === true && r.channels.discord?.detail !== 'starting',
    )
    expect(Object.keys(readiness.channels)).toEqual(['telegram', 'discord'])
    // The fake speaks REST only, so the gateway login goes no further; it went through discord.js.
    expect(readiness.channels.discord?.detail).toBe(
      'Discord login failed: 404: Not Found (check DISCORD_BOT_TOKEN)',
    )
    expect(packages).toContain('discord.js')
    for (const sdk of SDKS_OF_CHANNELS_OFF.filter((p) => p !== 'discord.js'))
      expect(packages).not.toContain(sdk)
  }, 60_000)
})
