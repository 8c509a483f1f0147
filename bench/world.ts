import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { startFakeSlack, type FakeSlack, type PostRate } from '../test/fakes/slack-api.js'
import { startFakeTelegram, type FakeTelegram } from '../test/fakes/telegram-api.js'
import { startBot, TELEGRAM_TOKEN, TS_LOADER, type BotCommand, type RunningBot } from './bot.js'

/** What every measure is given: how to start the bot, where to say what it is doing. */
export interface BenchContext {
  readonly command: BotCommand
  /** A line of progress (the runner writes it to stderr: stdout carries the results). */
  readonly progress: (line: string) => void
  /** Keeps each measure's folder (database, bot log) instead of removing it. */
  readonly keep: boolean
  /** Where P1's CPU profile goes, when one is wanted. */
  readonly profileDir?: string
}

export interface BotWorld {
  readonly dir: string
  readonly slack: FakeSlack
  readonly telegram: FakeTelegram
  readonly bot: RunningBot
}

export interface WorldOptions {
  readonly slackPostRate?: PostRate
  readonly env?: Readonly<Record<string, string>>
  /** Writes the database before the bot starts (it is given the file). */
  readonly seed?: (dbFile: string) => Promise<void>
  /** Started with node --cpu-prof, the profile written here. */
  readonly profileDir?: string
  /** Starts the bot only when `work` asks (to time its start). */
  readonly deferStart?: boolean
}

/** A temporary folder that is removed afterwards unless the run keeps it. */
export async function inTempDir<T>(
  ctx: BenchContext,
  name: string,
  work: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `threaddesk-bench-${name}-`))
  try {
    return await work(dir)
  } finally {
    if (ctx.keep) ctx.progress(`  kept ${dir}`)
    else rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Fake Slack and Telegram on loopback and the bot as a child process in a folder of its own; `work`
 * runs once it is ready. Resolves with what `work` returned and what went wrong in the bot (crashes,
 * error lines), which the measure reports beside its figures.
 */
export async function withBot<T>(
  ctx: BenchContext,
  name: string,
  opts: WorldOptions,
  work: (world: BotWorld, start: () => Promise<number>) => Promise<T>,
): Promise<{ result: T; problems: string[] }> {
  return inTempDir(ctx, name, async (dir) => {
    const slack = await startFakeSlack(
      opts.slackPostRate === undefined ? {} : { postRate: opts.slackPostRate },
    )
    const telegram = await startFakeTelegram(TELEGRAM_TOKEN)
    let bot: RunningBot | undefined
    try {
      const launch = async (): Promise<RunningBot> => {
        const running = await startBot({
          command: ctx.command,
          dir,
          slack,
          telegram,
          ...(opts.env !== undefined && { env: opts.env }),
          ...(opts.profileDir !== undefined && { profileDir: opts.profileDir }),
        })
        bot = running
        return running
      }
      if (opts.seed !== undefined) await opts.seed(join(dir, 'threaddesk.db'))
      let startMs = 0
      const start = async () => {
        const running = await launch()
        startMs = await running.ready(60_000)
        return startMs
      }
      if (opts.deferStart !== true) await start()
      const world = {
        dir,
        slack,
        telegram,
        get bot(): RunningBot {
          if (bot === undefined) throw new Error('the bot was not started')
          return bot
        },
      }
      const result = await work(world, start)
      const problems = bot === undefined ? [] : await bot.stop()
      bot = undefined
      return { result, problems }
    } finally {
      await bot?.stop()
      await slack.close()
      await telegram.close()
    }
  })
}

/** A bare server (a ceiling) as a child process: it prints `{"port": N}` once it listens. */
export async function startCeiling(
  script: string,
  env: Readonly<Record<string, string>> = {},
): Promise<{ url: string; pid: number | undefined; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [...TS_LOADER, script], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stdout = child.stdout
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it listened`)))
    createInterface({ input: stdout }).once('line', (line) => {
      resolve((JSON.parse(line) as { port: number }).port)
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}
