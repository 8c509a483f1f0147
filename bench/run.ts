/**
 * npm run bench — the built bot against loopback fakes, each measure beside its ceiling (issue 12).
 *
 *   npm run bench                      every measure (P3 and P4 shortened: about ten minutes)
 *   npm run bench -- p1 p3             only these measures
 *   npm run bench -- --profile         also profiles the bot's CPU during P1 (node --cpu-prof)
 *   npm run bench -- --keep            keeps each measure's folder (database, bot.log)
 *   BENCH_FULL=1 npm run bench         the full sizes (P3 1,000 messages over 100 tickets, P4 1 M tickets)
 *   BENCH_TICKETS=250000 npm run bench -- p4
 *
 * stdout: one JSON line per measure, then the table (and the profile); progress goes to stderr.
 * It measures and reports; it never fails on a figure.
 */
import { existsSync } from 'node:fs'
import { createLogger } from '../src/log.js'
import { BotProcess } from '../test/faults/bot-process.js'
import { runBench, MEASURES, type Measure } from './bench.js'
import { BUILT, FROM_SOURCE } from './bot.js'
import { formatProfile } from './profile.js'
import { table } from './report.js'
import { sizesFromEnv } from './sizes.js'

const args = process.argv.slice(2)
const only = args.filter((a) => !a.startsWith('--'))
const unknown = only.filter((m) => !(MEASURES as readonly string[]).includes(m))
if (unknown.length > 0) {
  process.stderr.write(`no measure ${unknown.join(', ')}; there are ${MEASURES.join(', ')}\n`)
  process.exit(2)
}
const command = args.includes('--from-source') ? FROM_SOURCE : BUILT
if (!existsSync(command.script)) {
  process.stderr.write(`${command.script} is missing: run npm run build first (npm run bench does)\n`)
  process.exit(1)
}

// Interrupted: no bot is left running (the ceilings end with our stdin).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    BotProcess.killAll()
    process.exit(130)
  })
}

const result = await runBench({
  sizes: sizesFromEnv(process.env),
  ...(only.length > 0 && { only: only as Measure[] }),
  command,
  keep: args.includes('--keep'),
  profile: args.includes('--profile') || process.env.BENCH_PROFILE === '1',
  out: (line) => process.stdout.write(`${line}\n`),
  progress: (line) => process.stderr.write(`${line}\n`),
  log: createLogger('warn', process.stderr),
})

process.stdout.write(`\nthreaddesk bench, ${result.machine}\n\n${table(result.rows)}\n`)
if (result.profile !== undefined) {
  process.stdout.write(`\nCPU profile of the bot during P1's ingest (${result.profileDir ?? ''}):\n`)
  process.stdout.write(`${formatProfile(result.profile)}\n`)
}
