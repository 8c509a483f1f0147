import { existsSync } from 'node:fs'
import { doctor } from './doctor/run.js'
import { createLogger } from './log.js'

/**
 * `npm run doctor`: checks the configuration against every platform it names before going live.
 * It reads `.env` as start-up does (src/main.ts): real environment variables win over the file.
 */
if (existsSync('.env')) process.loadEnvFile('.env')
// The lines for people go to stdout; the log (a check that crashed, with its stack) to stderr.
const log = createLogger('warn', process.stderr)
process.exitCode = await doctor({
  env: process.env,
  log,
  write: (line) => process.stdout.write(`${line}\n`),
})
