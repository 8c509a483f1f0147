import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { SIGNING_SECRET } from '../test/helpers/slack-requests.js'
import { BotProcess } from '../test/faults/bot-process.js'
import { freePort } from '../test/faults/world.js'
import type { FakeSlack } from '../test/fakes/slack-api.js'
import type { FakeTelegram } from '../test/fakes/telegram-api.js'

export const SUPPORT_CHANNEL = 'CSUPPORT'
export const AGENT = 'UAGENT'
export const TELEGRAM_TOKEN = '123456:BENCH-token'
export const WEBHOOK_SECRET = 'bench-secret_1'

/** How the bot is started: the built one (`node dist/src/main.js`), or from source for the smoke test. */
export interface BotCommand {
  readonly script: string
  readonly nodeArgs: readonly string[]
  /** Variables `npm start` sets for the process. */
  readonly env: Readonly<Record<string, string>>
}

/**
 * What `npm start` gives the bot (package.json): its variables (`NAME=value` before `node`) and
 * node options. The bench runs it as it runs in production.
 */
export const START: { readonly env: Record<string, string>; readonly nodeOptions: readonly string[] } =
  (() => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')) as {
      scripts: { start: string }
    }
    const words = pkg.scripts.start.trim().split(/\s+/)
    const env: Record<string, string> = {}
    for (let w = words[0]; w !== undefined && /^[A-Z_]+=/.test(w); words.shift(), w = words[0]) {
      const eq = w.indexOf('=')
      env[w.slice(0, eq)] = w.slice(eq + 1)
    }
    const [node, ...rest] = words
    if (node !== 'node' || rest.at(-1) !== 'dist/src/main.js') {
      throw new Error(
        `package.json's start script is not \`[NAME=value …] node [options] dist/src/main.js\`: ${pkg.scripts.start}`,
      )
    }
    return { env, nodeOptions: rest.slice(0, -1) }
  })()

export const BUILT: BotCommand = {
  script: resolve(import.meta.dirname, '../dist/src/main.js'),
  nodeArgs: START.nodeOptions,
  env: START.env,
}

/** Node options that let it run TypeScript (tsx's loader): the ceilings always, the bot from source. */
export const TS_LOADER: readonly string[] = [
  '--import',
  pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
]

/** The bot from its TypeScript sources through tsx: no build needed, slower to start. */
export const FROM_SOURCE: BotCommand = {
  script: resolve(import.meta.dirname, '../src/main.ts'),
  nodeArgs: [...START.nodeOptions, ...TS_LOADER],
  env: START.env,
}

export interface BotOptions {
  readonly command: BotCommand
  /** A folder of its own: its database, its log. */
  readonly dir: string
  readonly slack: FakeSlack
  readonly telegram: FakeTelegram
  /** Settings beyond the common ones (they win). */
  readonly env?: Readonly<Record<string, string>>
  /** Writes a CPU profile into this folder when it exits (node --cpu-prof). */
  readonly profileDir?: string
}

/** The bot as a child process, configured by its environment only, Telegram by webhook. */
export interface RunningBot {
  readonly process: BotProcess
  readonly base: string
  readonly dbFile: string
  /** When it was spawned (ms since the epoch). */
  readonly spawnedAt: number
  /** Resident memory now and at its peak, from /proc (MB). */
  memory(): { rssMb: number; peakMb: number }
  /** CPU time the process has used so far, ms. */
  cpuMs(): number
  /** Polls GET /readyz until it answers 200; resolves with the ms from spawn to that answer. */
  ready(timeoutMs: number): Promise<number>
  /** What `ready` found, once it did. */
  readonly readyMs: number | undefined
  /** SIGTERM and wait (a CPU profile is written then); resolves with what went wrong, if anything. */
  stop(): Promise<string[]>
}

export async function startBot(opts: BotOptions): Promise<RunningBot> {
  const port = await freePort()
  const dbFile = join(opts.dir, 'threaddesk.db')
  const env: Record<string, string> = {
    DATABASE_URL: `file:${dbFile}`,
    PORT: String(port),
    LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_SUPPORT_CHANNEL: SUPPORT_CHANNEL,
    SLACK_API_URL: opts.slack.apiUrl,
    SLACK_SUPERVISORS: AGENT,
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_API_ROOT: opts.telegram.url,
    PUBLIC_URL: 'https://desk.example.com',
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    REPLY_DELAY_S: '0',
    SHUTDOWN_TIMEOUT_MS: '5000',
    DIGEST_TIME: 'off',
    ...opts.command.env,
    ...opts.env,
  }
  const profile = opts.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`]
  const spawnedAt = Date.now()
  const bot = new BotProcess({
    incarnation: 1,
    mainJs: opts.command.script,
    nodeArgs: [...profile, ...opts.command.nodeArgs],
    cwd: opts.dir,
    env,
    port,
    logFile: join(opts.dir, 'bot.log'),
  })
  const base = `http://127.0.0.1:${port}`
  let readyMs: number | undefined
  return {
    process: bot,
    base,
    dbFile,
    spawnedAt,
    memory: () => procMemory(bot.pid),
    cpuMs: () => procCpuMs(bot.pid),
    get readyMs() {
      return readyMs
    },
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        if (!bot.alive)
          throw new Error(`the bot exited before it was ready; see ${join(opts.dir, 'bot.log')}`)
        const status = await fetch(`${base}/readyz`).then(
          (r) => r.arrayBuffer().then(() => r.status),
          () => 0,
        )
        if (status === 200) return (readyMs = Date.now() - spawnedAt)
        if (Date.now() > deadline) throw new Error(`the bot was not ready within ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 10))
      }
    },
    async stop() {
      const note = await bot.stop(15_000)
      const problems = [...bot.crashes(), ...[...bot.errors()].map(([msg, n]) => `logged ${n}× ${msg}`)]
      if (note !== undefined) problems.push(note)
      return problems
    },
  }
}

/** VmRSS and VmHWM of a process (Linux); 0 where /proc cannot tell. */
export function procMemory(pid: number | undefined): { rssMb: number; peakMb: number } {
  if (pid === undefined) return { rssMb: 0, peakMb: 0 }
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0)
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 }
  } catch {
    // Not Linux, or the process is gone: memory is simply not reported.
    return { rssMb: 0, peakMb: 0 }
  }
}

/** CPU time a process has used so far, user and system, in ms (Linux, 10 ms steps); 0 where /proc cannot tell. */
export function procCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0
  try {
    // The fields after the command's name, which is in parentheses and may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime, fields 14 and 15 of the line, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return 0
  }
}

/** Samples a process's resident memory while `work` runs; resolves with its peak in MB. */
export async function peakRssDuring<T>(pid: number | undefined, work: Promise<T>): Promise<[T, number]> {
  let peak = procMemory(pid).rssMb
  const timer = setInterval(() => (peak = Math.max(peak, procMemory(pid).rssMb)), 100)
  try {
    const result = await work
    return [result, Math.max(peak, procMemory(pid).rssMb)]
  } finally {
    clearInterval(timer)
  }
}
