import { existsSync } from 'node:fs'
import { ConfigError, loadConfig } from './config.js'
import { createLogger } from './log.js'
import { createThreaddesk } from './app.js'

if (existsSync('.env')) process.loadEnvFile('.env')

let config
try {
  config = loadConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  process.stderr.write(`${error.message}\n`)
  process.exit(1)
}

const log = createLogger(config.logLevel)
for (const warning of config.warnings) log.warn(warning)

// An error in one request, listener or job never ends the process: it is logged with its stack.
process.on('unhandledRejection', (reason) => {
  log.error({ err: reason }, 'unhandled rejection')
  app?.unhandled('rejection')
})
process.on('uncaughtException', (error) => {
  log.error({ err: error }, 'uncaught exception')
  app?.unhandled('exception')
})

let app: Awaited<ReturnType<typeof createThreaddesk>> | undefined

// Installed before start-up: a SIGTERM while a platform is slow to answer still stops cleanly.
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping || app === undefined) {
      log.warn({ signal }, stopping ? 'second signal, exiting now' : 'signal before start-up, exiting now')
      process.exit(1)
    }
    stopping = true
    log.info({ signal }, 'stopping: no new work is taken, calls under way may finish')
    app.stop().then(
      () => {
        log.info('stopped')
        process.exit(0)
      },
      (error: unknown) => {
        log.error({ err: error }, 'unclean stop')
        process.exit(1)
      },
    )
  })
}

try {
  app = await createThreaddesk(config, { log })
  await app.start()
} catch (error) {
  log.fatal({ err: error }, 'start-up failed')
  await app?.stop(0).catch(() => undefined)
  process.exit(1)
}
