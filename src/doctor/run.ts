import { CHANNEL_MODULES } from '../../adapters/index.js'
import type { ChannelModule } from '../../adapters/channel-module.js'
import {
  failed,
  passed,
  warning,
  type DoctorCheck,
  type DoctorContext,
} from '../../adapters/shared/doctor.js'
import { checkSlack } from '../../adapters/slack/doctor.js'
import { ConfigError, loadConfig, type Config } from '../config.js'
import { describeError } from '../core/errors.js'
import type { Logger } from '../core/logger.js'
import { redactSecrets } from '../core/untrusted.js'
import { checkDatabase } from './database.js'

/** How long one call may take when SEND_TIMEOUT_MS is not set: an operator is waiting. */
const DEFAULT_TIMEOUT_MS = 10_000

/** Variables whose value is a credential, whatever module reads them. */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY/i

export interface DoctorOptions {
  /** The environment, `.env` already read into it, as start-up sees it. */
  readonly env: NodeJS.ProcessEnv
  /** The registered channels (tests add their own). */
  readonly channels?: readonly ChannelModule[]
  /** Where a check that crashed is logged; people read `write`. */
  readonly log: Logger
  /** Writes one line for people. */
  readonly write: (line: string) => void
}

const MARK: Readonly<Record<DoctorCheck['status'], string>> = { ok: '✓', fail: '✗', warn: '!' }

/**
 * Every configured secret, and anything shaped like one, taken out of a line before it is
 * printed. The checks never put a token in their words; this holds even if a platform echoes one.
 */
function scrubber(env: NodeJS.ProcessEnv): (text: string) => string {
  const secrets = Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.trim().length >= 4)
    .map(([, value]) => (value ?? '').trim())
    .sort((a, b) => b.length - a.length)
  return (text) => redactSecrets(secrets.reduce((t, secret) => t.split(secret).join('[redacted]'), text))
}

const formatCheck = (check: DoctorCheck): string =>
  `${MARK[check.status]} ${check.what}${check.fix === undefined ? '' : ` — ${check.fix}`}`

/** A check that throws is a bug, not a verdict on the settings: one failed line, and its stack in the log. */
async function guarded(
  what: string,
  run: () => Promise<readonly DoctorCheck[]>,
  log: Logger,
): Promise<readonly DoctorCheck[]> {
  try {
    return await run()
  } catch (error) {
    log.error({ err: error, check: what }, 'a doctor check crashed')
    return [
      failed(
        `${what} could not be checked (${describeError(error)})`,
        'a bug in threaddesk: the log has its stack',
      ),
    ]
  }
}

function configurationCheck(config: Config): DoctorCheck {
  const mode = config.slack.appToken === undefined ? 'HTTP mode' : 'Socket Mode'
  const channels = config.channels.map((c) => c.id).join(', ')
  return passed(`configuration: Slack in ${mode}; channels: ${channels === '' ? 'none' : channels}`)
}

/** The checks, in the order they are printed; they run at the same time. */
function allChecks(config: Config, ctx: DoctorContext): Promise<readonly DoctorCheck[]>[] {
  const groups = [
    Promise.resolve([configurationCheck(config)]),
    guarded('Slack', () => checkSlack(config.slack, ctx), ctx.log),
    ...config.channels.map((channel) => {
      const label = config.catalog.labelOf(channel.id)
      const { doctor } = channel
      return doctor === undefined
        ? Promise.resolve([warning(`${label} (${channel.id}): threaddesk has no checks for this channel`)])
        : guarded(label, () => doctor(ctx), ctx.log)
    }),
    guarded('database', () => checkDatabase(config.databaseUrl), ctx.log),
  ]
  // What start-up warns about, the doctor says too.
  groups.push(Promise.resolve(config.warnings.map((w) => warning(w))))
  return groups
}

/**
 * `npm run doctor`: reads the configuration as start-up does, asks every platform it names whether
 * its settings work, and writes one line per check. Answers the exit status: 1 when the
 * configuration is invalid or any check failed, 0 otherwise (warnings included).
 */
export async function doctor(opts: DoctorOptions): Promise<0 | 1> {
  const scrub = scrubber(opts.env)
  let config: Config
  try {
    config = loadConfig(opts.env, opts.channels ?? CHANNEL_MODULES)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    opts.write(scrub(`✗ ${error.message}`))
    return 1
  }
  const ctx: DoctorContext = {
    timeoutMs: opts.env.SEND_TIMEOUT_MS?.trim() ? config.delivery.sendTimeoutMs : DEFAULT_TIMEOUT_MS,
    publicUrl: config.publicUrl,
    log: opts.log,
  }
  let anyFailed = false
  // Printed in order as each group is done, so a slow platform holds back only the lines below it.
  for (const group of allChecks(config, ctx)) {
    for (const check of await group) {
      opts.write(scrub(formatCheck(check)))
      if (check.status === 'fail') anyFailed = true
    }
  }
  return anyFailed ? 1 : 0
}
