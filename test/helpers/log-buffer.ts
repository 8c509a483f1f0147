import type { Logger } from '../../src/core/logger.js'
import { createLogger } from '../../src/log.js'

/** One pino line as written. */
export interface LogLine {
  readonly level: number
  readonly msg?: string
  readonly [field: string]: unknown
}

const ERROR = 50

/** The real logger into a buffer: tests read what an operator would, and wait for a line to appear. */
export function bufferedLog(level = 'info') {
  const lines: LogLine[] = []
  const waiters: { test: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = []
  const log: Logger = createLogger(level, {
    write(raw: string) {
      const line = JSON.parse(raw) as LogLine
      lines.push(line)
      for (const waiter of waiters.filter((w) => w.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(line)
      }
    },
  })
  return {
    log,
    lines,
    /** Lines at error level or above. */
    errors: () => lines.filter((l) => l.level >= ERROR),
    /** The first line, past or future, whose message is `msg`. */
    line(msg: string): Promise<LogLine> {
      const test = (l: LogLine) => l.msg === msg
      const seen = lines.find(test)
      if (seen !== undefined) return Promise.resolve(seen)
      return new Promise((resolve) => waiters.push({ test, resolve }))
    },
  }
}
