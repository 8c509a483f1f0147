import { pino } from 'pino'
import type { Logger } from './core/logger.js'
import { redactSecrets } from './core/untrusted.js'

/** An error as pino writes it, with any secret its message or stack carries hidden. */
function errorWithoutSecrets(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown
  if (typeof serialized !== 'object' || serialized === null) return serialized
  return JSON.parse(redactSecrets(JSON.stringify(serialized))) as unknown
}

/** The process logger. Secrets are redacted wherever they appear in a logged object or error. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'threaddesk' },
      redact: {
        paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
      serializers: { err: errorWithoutSecrets },
    },
    destination,
  )
}
