import { existsSync } from 'node:fs'
import { ConfigError, loadConfig } from './config.js'
import { describeError } from './core/errors.js'
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
const app = await createThreaddesk(config, { log })
try {
  await app.start()
} catch (error) {
  log.error({ err: describeError(error) }, 'start-up failed')
  await app.stop().catch(() => undefined)
  process.exit(1)
}

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'stopping')
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: describeError(error) }, 'unclean stop')
        process.exit(1)
      },
    )
  })
}
