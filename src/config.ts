import { z } from 'zod'
import { CHANNEL_MODULES, channelCatalog, enabledChannels, type EnabledChannel } from '../adapters/index.js'
import type { ChannelModule } from '../adapters/channel-module.js'
import { api } from '../adapters/api/channel.js'
import { slackSettings } from '../adapters/slack/settings.js'
import { assignmentSettings } from './config/assignment.js'
import { attachmentSettings } from './config/attachments.js'
import { deliverySettings } from './config/delivery.js'
import { databaseUrl } from './config/database.js'
import { deskPolicySettings } from './config/desk-policy.js'
import { intakeSettings } from './config/intake.js'
import { publicUrl, settingsPart, type Problem, type SettingsPart, type Warn } from './config/part.js'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const processSettings = settingsPart({
  env: {
    DATABASE_URL: databaseUrl,
    PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535).default(3000),
    PUBLIC_URL: publicUrl,
    LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  },
  read: (e) => ({
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
  }),
})

/** An empty value means unset, for every variable: `.env.example` ships most of them empty. */
function withoutBlanks(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  )
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/**
 * Reads every module's share of the environment at once, so one run names every problem: each
 * part is validated on its own, and a part whose variables are valid also checks how they combine.
 */
function reader(env: NodeJS.ProcessEnv) {
  const problems = new Set<string>()
  const warnings = new Set<string>()
  const problem: Problem = (name, message) => problems.add(`${name} ${message}`)
  const warn: Warn = (message) => warnings.add(message)
  function read<Shape extends z.ZodRawShape, T>(part: SettingsPart<Shape, T>): T | undefined {
    part.requires?.((name) => env[name], problem)
    const parsed = z.object(part.env).safeParse(env)
    if (parsed.success) return part.read(parsed.data, problem, warn)
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment')
      const missing = issue.code === 'invalid_type' && env[name] === undefined
      problem(name, missing && !issue.message.startsWith('is required') ? 'is required' : issue.message)
    }
    return undefined
  }
  return { read, problems, warnings }
}

/**
 * Reads and validates the settings once; a problem throws a ConfigError whose one line names each
 * variable. `channels` are the registered customer channels (tests add their own).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  channels: readonly ChannelModule[] = CHANNEL_MODULES,
) {
  // The API's channel is built in: always known (labels, filters, reply modes), never among the
  // channels that variables turn on, and its settings are the API's.
  const known = [...channels, api]
  const ids = known.map((c) => c.id)
  const { read, problems, warnings } = reader(withoutBlanks(env))
  const base = read(processSettings)
  const slack = read(slackSettings(ids))
  const delivery = read(deliverySettings)
  const files = read(attachmentSettings)
  const policy = read(deskPolicySettings)
  const intake = read(intakeSettings)
  const assignment = read(assignmentSettings(ids))
  const apiSettings = read(api)
  const enabled: EnabledChannel[] = enabledChannels(channels, read)
  if (problems.size > 0 || !base || !slack || !delivery || !files || !policy || !intake || !apiSettings) {
    throw new ConfigError(`Invalid configuration: ${[...problems].join('; ')}`)
  }
  if (enabled.length === 0)
    warnings.add(
      'No customer channel is configured, so no customer can reach the desk: set one up (TELEGRAM_BOT_TOKEN is the quickest; see .env.example).',
    )
  return Object.freeze({
    ...base,
    slack,
    delivery,
    /** Which files may travel, and where their bytes are kept. */
    files,
    ...policy,
    /** The triage menu (INTAKE) and who may open tickets (CONTACT_POLICY). */
    intake,
    assignment,
    /** The HTTP API's rate limit, and how long a webhook endpoint may fail before it is paused. */
    api: apiSettings,
    /** Every registered channel, on or off, and the API's: old tickets keep their channel's label. */
    catalog: channelCatalog(known),
    /** The channels the variables turn on. */
    channels: Object.freeze(enabled),
    /** Settings that work, but probably not as meant: said once at start. */
    warnings: Object.freeze([...warnings]),
  })
}

export type Config = ReturnType<typeof loadConfig>
