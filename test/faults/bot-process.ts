import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'
import { connect } from 'node:net'
import { createInterface } from 'node:readline'

/** One line the bot logged (pino JSON), or a line of plain text it printed. */
export interface LogLine {
  readonly level: number
  readonly msg: string
  /** The logged error, if any, shortened. */
  readonly err: string
  readonly raw: string
}

const FATAL = 60
const ERROR = 50
/** What an uncaught exception or an unhandled rejection leaves on stderr. */
const CRASH_OUTPUT = /Uncaught|Unhandled|Error\b|^\s+at\s/
/** A process that catches them itself still had one: its log line says so. */
const CRASH_LOG = /uncaught|unhandled/i

/** How the fakes know a bot: its incarnation's tag in the URLs it is given (`b3` for #3). */
export const botTag = (incarnation: number): string => `b${incarnation}`

export interface BotStart {
  /** Counts the bot's incarnations in one scenario: #1, #2 after the first restart, … */
  readonly incarnation: number
  readonly mainJs: string
  /** Options for node itself, before the script (`--cpu-prof`, `--import tsx`). */
  readonly nodeArgs?: readonly string[]
  /** The working directory: a fresh folder with no .env, so the environment is the whole configuration. */
  readonly cwd: string
  readonly env: Readonly<Record<string, string>>
  readonly port: number
  /** Where its stdout and stderr are kept for reading after the run. */
  readonly logFile: string
}

/** The built bot as a child process: a black box driven by its environment and watched through its output. */
export class BotProcess {
  /** Every bot still running, so an interrupted run leaves none behind. */
  private static readonly running = new Set<BotProcess>()

  static killAll(): void {
    for (const bot of BotProcess.running) bot.proc.kill('SIGKILL')
  }

  readonly incarnation: number
  /** See `botTag`. */
  readonly tag: string
  readonly lines: LogLine[] = []
  readonly stderr: string[] = []
  /** Set when it exited, with how. */
  exit:
    { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly at: number } | undefined
  /** Whether its HTTP port accepted a connection since it started. */
  listening = false
  /** The signal we sent it, if any: an exit after it is ours, not a crash. */
  private signalled: NodeJS.Signals | undefined
  private readonly proc: ChildProcess
  private readonly exited: Promise<void>
  private readonly log: WriteStream

  constructor(private readonly start: BotStart) {
    this.incarnation = start.incarnation
    this.tag = botTag(start.incarnation)
    this.log = createWriteStream(start.logFile, { flags: 'a' })
    this.proc = spawn(process.execPath, [...(start.nodeArgs ?? []), start.mainJs], {
      cwd: start.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...start.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const stdout = this.proc.stdout
    const stderr = this.proc.stderr
    if (stdout === null || stderr === null) throw new Error('the bot was started without pipes')
    createInterface({ input: stdout }).on('line', (raw) => {
      this.log.write(`${raw}\n`)
      this.lines.push(parseLine(raw))
    })
    createInterface({ input: stderr }).on('line', (raw) => {
      this.log.write(`[stderr] ${raw}\n`)
      this.stderr.push(raw)
    })
    // Its output is all read once its pipes close (after it exited).
    this.proc.once('close', () => this.log.end())
    BotProcess.running.add(this)
    this.exited = new Promise((resolve) => {
      this.proc.once('exit', (code, signal) => {
        this.exit = { code, signal, at: Date.now() }
        BotProcess.running.delete(this)
        resolve()
      })
    })
  }

  get pid(): number | undefined {
    return this.proc.pid
  }

  get alive(): boolean {
    return this.exit === undefined
  }

  /** Polls its port until it accepts a connection (without calling any route, so no fake is called). */
  async waitListening(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!this.listening) {
      if (!this.alive)
        throw new Error(`bot #${this.incarnation} exited before it listened: ${this.describeExit()}`)
      if (Date.now() > deadline)
        throw new Error(`bot #${this.incarnation} did not listen within ${timeoutMs} ms`)
      this.listening = await canConnect(this.start.port)
      if (!this.listening) await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  /** SIGKILL: no handler runs, nothing is flushed. Resolves with the moment the signal was sent. */
  async kill(): Promise<number> {
    const at = Date.now()
    this.signalled = 'SIGKILL'
    this.proc.kill('SIGKILL')
    await this.exited
    return at
  }

  /** Sends SIGKILL without waiting: for hooks that must stop the bot before a fake answers it. */
  killNow(): number {
    this.signalled = 'SIGKILL'
    this.proc.kill('SIGKILL')
    return Date.now()
  }

  async whenExited(): Promise<void> {
    await this.exited
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with a note when the stop was not clean. */
  async stop(graceMs: number): Promise<string | undefined> {
    if (!this.alive) return undefined
    this.signalled = 'SIGTERM'
    this.proc.kill('SIGTERM')
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs)
    await this.exited
    clearTimeout(timer)
    if (this.exit?.signal === 'SIGKILL')
      return `#${this.incarnation} did not stop within ${graceMs} ms of SIGTERM`
    if (this.exit?.signal === 'SIGTERM')
      return `#${this.incarnation} was ended by SIGTERM itself, not by its handler (still starting?)`
    if (this.exit?.code !== 0) return `#${this.incarnation} stopped uncleanly (${this.describeExit()})`
    return undefined
  }

  /** Evidence that it crashed: it exited when nobody signalled it, logged at fatal, or printed an uncaught error. */
  crashes(): string[] {
    const found: string[] = []
    if (this.exit !== undefined && this.signalled === undefined)
      found.push(`#${this.incarnation} exited on its own (${this.describeExit()})${this.lastWords()}`)
    for (const line of this.lines.filter((l) => l.level >= FATAL || CRASH_LOG.test(l.msg)))
      found.push(
        `#${this.incarnation} logged ${line.level >= FATAL ? 'fatal' : 'error'}: ${line.msg} ${line.err}`,
      )
    const uncaught = this.stderr.find((l) => CRASH_OUTPUT.test(l))
    if (uncaught !== undefined) found.push(`#${this.incarnation} printed on stderr: ${uncaught.trim()}`)
    return found
  }

  /** Its error-level lines by message (with the first error given), for reading why a scenario failed. */
  errors(): Map<string, number> {
    const counts = new Map<string, number>()
    const first = new Map<string, string>()
    for (const line of this.lines.filter((l) => l.level >= ERROR && l.level < FATAL)) {
      if (!first.has(line.msg)) first.set(line.msg, `${line.msg} ${line.err}`.trim())
      const key = first.get(line.msg) ?? line.msg
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    return counts
  }

  private describeExit(): string {
    return this.exit === undefined
      ? 'still running'
      : this.exit.signal !== null
        ? `signal ${this.exit.signal}`
        : `code ${this.exit.code}`
  }

  private lastWords(): string {
    const last = [...this.stderr.slice(-2), ...this.lines.slice(-1).map((l) => `${l.msg} ${l.err}`)].join(
      ' | ',
    )
    return last === '' ? '' : `: ${last.slice(0, 300)}`
  }
}

function parseLine(raw: string): LogLine {
  try {
    const parsed = JSON.parse(raw) as { level?: unknown; msg?: unknown; err?: unknown }
    return {
      level: typeof parsed.level === 'number' ? parsed.level : 30,
      msg: typeof parsed.msg === 'string' ? parsed.msg : '',
      err: parsed.err === undefined ? '' : `(${describeErr(parsed.err)})`,
      raw,
    }
  } catch {
    // Plain text on stdout (a library printing by itself): kept, read as info.
    return { level: 30, msg: raw, err: '', raw }
  }
}

/** pino's serialised error ({ type, message, stack }) or a string, in one short line. */
function describeErr(err: unknown): string {
  const message =
    typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : JSON.stringify(err)
  return message.replace(/\s+/g, ' ').slice(0, 200)
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
