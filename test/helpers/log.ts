import { isDeepStrictEqual } from 'node:util'
import { expect } from 'vitest'
import type { Logger } from '../../src/core/logger.js'
import { createLogger } from '../../src/log.js'

/**
 * Tests log through the real pino logger at the production level into memory, and a line at error
 * or fatal that the test did not declare with `expectLogged` fails it (see fail-on-error-logs.ts).
 * A silent logger would hide both the lines and any crash in the code that writes them.
 */

/** One JSON line as pino wrote it. */
export interface LogLine {
  readonly level: number
  readonly time: number
  readonly msg?: string
  readonly [field: string]: unknown
}

export type LevelName = 'debug' | 'info' | 'warn' | 'error' | 'fatal'

export const LEVELS: Readonly<Record<LevelName, number>> = {
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
}

/** The level the process logs at in production. */
const PRODUCTION_LEVEL: LevelName = 'info'

type Pattern = string | RegExp

/** A line a test declared it expects: its message and, optionally, some of its fields. */
export interface Expectation {
  readonly msg: Pattern
  readonly fields?: Readonly<Record<string, unknown>>
}

/** A logger that also answers what it wrote. */
export interface TestLog extends Logger {
  /** Every line this logger (and its children) wrote, oldest first. */
  lines(): readonly LogLine[]
  /** The lines at `level` whose message matches (a string matches as a substring). */
  filter(level: LevelName, msg?: Pattern): readonly LogLine[]
  /** The first line at `level` whose message matches. */
  find(level: LevelName, msg?: Pattern): LogLine | undefined
  /** The first line, written already or still to come, whose message is `msg`. */
  next(msg: string): Promise<LogLine>
}

/** Every line any test logger wrote in this test file, oldest first; the checker reads from `checked`. */
const written: LogLine[] = []
let checked = 0
/** What the running test declared with `expectLogged`. */
let declared: Expectation[] = []

/** A real logger at the production level writing JSON lines into memory. Use it wherever a test needs a Logger. */
export function testLog(level: LevelName = PRODUCTION_LEVEL): TestLog {
  const own: LogLine[] = []
  const waiters: { msg: string; resolve: (line: LogLine) => void }[] = []
  const logger = createLogger(level, {
    write(chunk: string) {
      const line = JSON.parse(chunk) as LogLine
      own.push(line)
      written.push(line)
      for (const w of waiters.filter((w) => w.msg === line.msg)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(line)
      }
    },
  })
  const filter = (level: LevelName, msg?: Pattern) =>
    own.filter((l) => l.level === LEVELS[level] && (msg === undefined || matches(msg, l.msg)))
  // The pino instance itself, not a wrapper: code under test must meet the logger it meets in production.
  return Object.assign(logger, {
    lines: (): readonly LogLine[] => own,
    filter,
    find: (level: LevelName, msg?: Pattern) => filter(level, msg)[0],
    next(msg: string): Promise<LogLine> {
      const seen = own.find((l) => l.msg === msg)
      if (seen !== undefined) return Promise.resolve(seen)
      return new Promise<LogLine>((resolve) => waiters.push({ msg, resolve }))
    },
  })
}

/**
 * Declares that the running test expects a line at error (or fatal) whose message matches `msg`, and
 * whose fields include `fields` (a RegExp tests a field's string value). Every matching line is then
 * allowed, and the test fails if none was written. Call it in the test or in a `beforeEach`.
 */
export function expectLogged(msg: Pattern, fields?: Readonly<Record<string, unknown>>): void {
  if (expect.getState().currentTestName === undefined) {
    throw new Error('expectLogged declares a line for one test: call it inside a test or a beforeEach')
  }
  declared.push(fields === undefined ? { msg } : { msg, fields })
}

export interface Verdict {
  /** Lines at error or above that no expectation matches. */
  readonly unexpected: readonly LogLine[]
  /** Expectations no line matched. */
  readonly unmet: readonly Expectation[]
}

/** Judges the lines a test wrote against what it declared. Pure, so the mechanism can be tested on its own. */
export function judge(lines: readonly LogLine[], expectations: readonly Expectation[]): Verdict {
  const errors = lines.filter((l) => l.level >= LEVELS.error)
  return {
    unexpected: errors.filter((l) => !expectations.some((e) => fits(e, l))),
    unmet: expectations.filter((e) => !errors.some((l) => fits(e, l))),
  }
}

/** Why the lines fail the test, or undefined when they pass. */
export function complaint(verdict: Verdict, where: string): string | undefined {
  const parts: string[] = []
  if (verdict.unexpected.length > 0) {
    parts.push(
      `${where} logged ${verdict.unexpected.length} unexpected error line(s); ` +
        `fix the cause or declare them with expectLogged(msg):`,
      ...collapse(verdict.unexpected.map(format)),
    )
  }
  if (verdict.unmet.length > 0) {
    parts.push(
      `${where} declared error line(s) that were never logged:`,
      ...verdict.unmet.map((e) => `  expectLogged(${show(e.msg)}${e.fields ? `, ${show(e.fields)}` : ''})`),
    )
  }
  return parts.length === 0 ? undefined : parts.join('\n')
}

/**
 * Takes the lines written since the last check and what the running test declared, and throws if
 * they do not agree. The setup file calls it before and after each test and after each file. A test
 * that already failed stopped early, so the lines it declared and never reached are not news.
 */
export function checkLogged(where: string, alreadyFailed = false): void {
  const lines = written.slice(checked)
  checked = written.length
  const expectations = declared
  declared = []
  const verdict = judge(lines, expectations)
  const problem = complaint(alreadyFailed ? { ...verdict, unmet: [] } : verdict, where)
  if (problem !== undefined) throw new Error(problem)
}

function fits(e: Expectation, line: LogLine): boolean {
  if (!matches(e.msg, line.msg)) return false
  return Object.entries(e.fields ?? {}).every(([key, want]) =>
    want instanceof RegExp
      ? matches(want, line[key])
      : isDeepStrictEqual(line[key], want) || (typeof want === 'string' && errorMessage(line[key]) === want),
  )
}

/** A logged error is an object (pino's err serializer): its message is the text a pattern reads. */
function errorMessage(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  const message = (value as { message?: unknown } | null)?.message
  return typeof message === 'string' ? message : undefined
}

function matches(pattern: Pattern, value: unknown): boolean {
  const text = errorMessage(value)
  if (text === undefined) return false
  return typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)
}

/** Repeats shown once with a count, and at most 20 different lines, so a retry loop stays readable. */
function collapse(formatted: readonly string[]): string[] {
  const counts = new Map<string, number>()
  for (const f of formatted) counts.set(f, (counts.get(f) ?? 0) + 1)
  const shown = [...counts].slice(0, 20).map(([f, n]) => (n === 1 ? f : `${f} (×${n})`))
  return counts.size > 20 ? [...shown, `  … and ${counts.size - 20} more different lines`] : shown
}

const levelName = (n: number) =>
  (Object.entries(LEVELS).find(([, v]) => v === n)?.[0] ?? String(n)).toUpperCase()

/** Fields every line carries, left out of what a failure shows. */
const NOISE = new Set(['level', 'time', 'msg', 'app', 'pid', 'hostname'])

function format(line: LogLine): string {
  const fields = Object.fromEntries(Object.entries(line).filter(([key]) => !NOISE.has(key)))
  return `  ${levelName(line.level)} ${line.msg ?? ''} ${show(fields)}`
}

function show(value: unknown): string {
  const regexps = (_key: string, v: unknown): unknown => (v instanceof RegExp ? String(v) : v)
  return value instanceof RegExp ? String(value) : JSON.stringify(value, regexps)
}
