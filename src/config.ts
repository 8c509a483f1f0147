import { z } from 'zod'
import { isValidZone, parseSchedule, type OpenSpan } from './core/hours.js'
import { CHANNELS, PRIORITIES, type Channel, type Priority } from './core/model.js'
import type { AssignmentPolicy } from './core/assignment.js'
import { defaultSlaPolicy, type SlaPolicy } from './core/sla.js'
import { DEFAULT_TICKET_TYPES } from './core/ticket-fields.js'

const DAY_MS = 86_400_000

export const DEFAULT_DATABASE_URL = 'file:./data/threaddesk.db'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const optional = <T extends z.ZodType<string>>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional())

const url = (what: string) => z.url({ message: `must be a URL (${what})` })

const slackUserIds = z
  .string()
  .default('')
  .transform((s) => s.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]+$/, 'must be Slack user ids (U…), separated by commas')))

/** Reads a value with a parser that throws an Error whose message says what is wrong. */
const parsed = <T>(parse: (value: string) => T) =>
  z
    .string()
    .optional()
    .transform((value, ctx): T | undefined => {
      if (value === undefined || value.trim() === '') return undefined
      try {
        return parse(value)
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `is not valid: ${(error as Error).message}` })
        return z.NEVER
      }
    })

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

function parseDuration(text: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(text.trim())
  if (match === null) throw new Error(`"${text}" is not a duration like 30m or 4h`)
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
}

/** A yes/no setting: true or 1 turns it on; false, 0 or nothing leaves it off. */
const flag = z
  .enum(['true', 'false', '1', '0', ''], { message: 'must be true or false' })
  .default('false')
  .transform((v) => v === 'true' || v === '1')

const millis = (fallback: number, min: number) =>
  z.coerce.number({ message: 'must be milliseconds' }).int().min(min).default(fallback)

/** `urgent=30m/1h/4h, normal=4h/8h/24h`: first response / next response / resolution, per priority. */
function parseSlaTargets(text: string): SlaPolicy {
  const policy: Record<Priority, SlaPolicy[Priority]> = { ...defaultSlaPolicy }
  for (const part of text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [priority = '', targets = ''] = part.split('=')
    if (!PRIORITIES.includes(priority as Priority))
      throw new Error(`"${priority}" is not a priority (${PRIORITIES.join(', ')})`)
    const [first, next, resolution, ...extra] = targets.split('/')
    if (first === undefined || next === undefined || resolution === undefined || extra.length > 0) {
      throw new Error(`"${part}" needs three targets: first/next/resolution, like 4h/8h/24h`)
    }
    policy[priority as Priority] = {
      first_response: parseDuration(first),
      next_response: parseDuration(next),
      resolution: parseDuration(resolution),
    }
  }
  return policy
}

function parseHolidays(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((day) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day)))
        throw new Error(`"${day}" is not a date like 2026-12-25`)
      return day
    })
}

/** `billing=U1 U2; tech=U3`: groups of agents by Slack user id. */
function parseGroups(text: string): Record<string, string[]> {
  const groups: Record<string, string[]> = {}
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name = '', members = ''] = part.split('=')
    const ids = members.split(/[\s,]+/).filter(Boolean)
    if (!/^[\w-]+$/.test(name.trim()) || ids.length === 0 || ids.some((id) => !/^[UW][A-Z0-9]+$/.test(id))) {
      throw new Error(`"${part}" is not a group like billing=U0123 U0456`)
    }
    groups[name.trim()] = ids
  }
  return groups
}

/** `channel:discord=tech, type:incident=tech`: which tickets go to which group. */
function parseRules(text: string): { channel?: Channel; type?: string; group: string }[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(channel|type):([\w-]+)=([\w-]+)$/.exec(part)
      if (match === null)
        throw new Error(`"${part}" is not a rule like channel:discord=tech or type:incident=tech`)
      const [, key, value = '', group = ''] = match
      if (key === 'channel' && !CHANNELS.includes(value as Channel))
        throw new Error(`"${value}" is not a channel`)
      return key === 'channel' ? { channel: value as Channel, group } : { type: value, group }
    })
}

/** The words that keep a thread message private; see adapters/slack/classify.ts for how they are read. */
export const DEFAULT_NOTE_MARKERS = ['note', 'notes', 'private', 'internal'] as const

const noteMarker = z
  .string()
  .trim()
  .min(1, 'must name markers separated by commas, like note,private')
  .refine((m) => !m.startsWith('!'), 'must not start with ! (that starts a thread command)')

export const REPLY_MODES = ['send', 'internal'] as const
export type ReplyMode = (typeof REPLY_MODES)[number]

const replyMode = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.enum(REPLY_MODES, { message: 'must be send or internal' }).optional(),
)

/** REPLY_MODE_TELEGRAM, REPLY_MODE_WHATSAPP_CLOUD, …: one channel's tickets answered otherwise. */
const replyModeVariable = (channel: Channel) =>
  `REPLY_MODE_${channel.toUpperCase() as Uppercase<Channel>}` as const
const replyModePerChannel = Object.fromEntries(
  CHANNELS.map((c) => [replyModeVariable(c), replyMode]),
) as Record<ReturnType<typeof replyModeVariable>, typeof replyMode>

const days = z.coerce.number({ message: 'must be a number of days (0 turns the rule off)' }).min(0)

const schema = z
  .object({
    DATABASE_URL: z.string().min(1).default(DEFAULT_DATABASE_URL),
    PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535).default(3000),
    PUBLIC_URL: optional(url('the public base URL, https://…')),
    LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),

    SLACK_BOT_TOKEN: z
      .string({ message: 'is required (the bot token, xoxb-…)' })
      .startsWith('xoxb-', 'must be a bot token starting with xoxb-'),
    SLACK_SIGNING_SECRET: optional(z.string().min(8, 'is too short to be a signing secret')),
    SLACK_APP_TOKEN: optional(
      z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-'),
    ),
    SLACK_SUPPORT_CHANNEL: z
      .string({ message: 'is required (the id of the channel where tickets are posted, C…)' })
      .regex(/^[CG][A-Z0-9]+$/, 'must be a channel id like C0123456789 (not a #name)'),
    SLACK_API_URL: optional(url('the Slack Web API base, ending in /api/')),
    SLACK_SUPERVISORS: slackUserIds,
    SLACK_ADMINS: slackUserIds,
    SLACK_AGENT_GROUP: optional(
      z.string().regex(/^S[A-Z0-9]+$/, 'must be a user group id (S…; the group → ⋯ → Copy group ID)'),
    ),
    SLACK_NOTE_MARKERS: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z
        .string()
        .default(DEFAULT_NOTE_MARKERS.join(','))
        .transform((v) =>
          v
            .split(',')
            .map((m) => m.trim())
            .filter(Boolean),
        )
        .pipe(z.array(noteMarker).min(1, 'must name at least one marker, like note,private')),
    ),
    SLACK_NOTE_MARKER: optional(noteMarker),
    REPLY_MODE: replyMode.default('send'),
    ...replyModePerChannel,

    TELEGRAM_BOT_TOKEN: optional(
      z.string().regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-… (from @BotFather)'),
    ),
    TELEGRAM_API_ROOT: optional(url('the Bot API root, without a trailing slash')),
    TELEGRAM_WEBHOOK_SECRET: optional(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,256}$/, 'may hold only A-Z, a-z, 0-9, _ and -, at most 256 characters'),
    ),

    META_APP_SECRET: optional(z.string().min(8, 'is too short to be an app secret')),
    META_VERIFY_TOKEN: optional(z.string()),
    META_GRAPH_URL: z
      .url({ message: 'must be a URL (the Graph API base)' })
      .default('https://graph.facebook.com'),
    META_GRAPH_VERSION: z
      .string()
      .regex(/^v\d+\.\d+$/, 'must look like v21.0')
      .default('v21.0'),
    WHATSAPP_CLOUD_TOKEN: optional(z.string()),
    WHATSAPP_PHONE_NUMBER_ID: optional(z.string().regex(/^\d+$/, 'must be the numeric phone number id')),
    WHATSAPP_TEMPLATE_LANGUAGE: z
      .string()
      .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must look like en_US')
      .default('en_US'),

    INSTAGRAM_ACCESS_TOKEN: optional(z.string()),
    INSTAGRAM_ACCOUNT_ID: optional(z.string().regex(/^\d+$/, 'must be the numeric Instagram account id')),

    DISCORD_BOT_TOKEN: optional(z.string()),
    DISCORD_API_URL: optional(url('the Discord REST base, ending in /api')),
    DISCORD_GUILD_CHANNEL_ID: optional(
      z.string().regex(/^\d+$/, 'must be a channel id (Developer Mode → Copy Channel ID)'),
    ),

    TZ: z.string().default('UTC').refine(isValidZone, 'must be an IANA time zone like Europe/Berlin'),
    BUSINESS_HOURS: parsed(parseSchedule),
    HOLIDAYS: parsed(parseHolidays),
    SLA_TARGETS: parsed(parseSlaTargets),
    SLA_WARN_AT: z.coerce
      .number({ message: 'must be a percentage like 75' })
      .gt(0, 'must be between 1 and 99')
      .lt(100, 'must be between 1 and 99')
      .default(75),
    SLA_PAUSE_PENDING: flag,
    PENDING_REMIND_DAYS: days.default(3),
    PENDING_CLOSE_DAYS: days.default(5),
    SOLVED_CLOSE_DAYS: days.default(4),
    AFTER_HOURS_REPLY: optional(
      z.string().includes('{{business.opens}}', {
        message: 'must say when the team is back: include {{business.opens}}',
      }),
    ),
    TICKET_TYPES: z
      .string()
      .default(DEFAULT_TICKET_TYPES.join(','))
      .transform((v) =>
        v
          .split(',')
          .map((t) => t.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(
            z
              .string()
              .regex(/^[a-z0-9_-]+$/, 'must be a comma-separated list of words like incident,question'),
          )
          .min(1),
      ),
    SEND_TIMEOUT_MS: millis(30_000, 100),
    REPLY_DELAY_S: z.coerce
      .number({ message: 'must be a number of seconds (0 turns the undo window off)' })
      .min(0)
      .max(600)
      .default(5),
    OUTBOX_ALERT_AFTER: parsed(parseDuration),
    OUTBOX_MAX_BACKOFF_MS: millis(10 * 60_000, 10),
    SHUTDOWN_TIMEOUT_MS: millis(10_000, 0),
    CUSTOMER_INFO_URL: optional(url('where new customers are looked up')),
    CUSTOMER_INFO_TIMEOUT_MS: z.coerce
      .number({ message: 'must be milliseconds' })
      .int()
      .min(100)
      .default(3000),
    AUTO_ASSIGN: flag,
    AGENT_CAPACITY: z.coerce.number({ message: 'must be a number of tickets' }).int().min(1).default(10),
    ASSIGN_GROUPS: parsed(parseGroups),
    ASSIGN_RULES: parsed(parseRules),
    REASSIGN_ON_SHIFT_OFF: flag,
    DIGEST_TIME: z
      .string()
      .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'must be a time like 08:00, or off')
      .default('08:00'),

    WHATSAPP_WEB_ENABLED: flag,
    WHATSAPP_WEB_SESSION_DIR: z.string().min(1).default('./data/whatsapp-web'),
    CHROMIUM_PATH: optional(z.string()),
    WHATSAPP_WEB_CHAT_GAP_MS: z.coerce.number({ message: 'must be milliseconds' }).int().min(0).default(3000),
    WHATSAPP_WEB_GAP_MS: z.coerce.number({ message: 'must be milliseconds' }).int().min(0).default(1000),
  })
  .superRefine((env, ctx) => {
    for (const rule of env.ASSIGN_RULES ?? []) {
      if (env.ASSIGN_GROUPS?.[rule.group] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['ASSIGN_RULES'],
          message: `names the group "${rule.group}", which ASSIGN_GROUPS does not define`,
        })
      }
    }
    const need = (name: keyof typeof env, message: string) => {
      if (env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message })
    }
    if (env.SLACK_APP_TOKEN === undefined) {
      need('SLACK_SIGNING_SECRET', 'is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)')
    }
    if (env.WHATSAPP_CLOUD_TOKEN !== undefined || env.WHATSAPP_PHONE_NUMBER_ID !== undefined) {
      need('WHATSAPP_CLOUD_TOKEN', 'is required with WHATSAPP_PHONE_NUMBER_ID (the Cloud API access token)')
      need(
        'WHATSAPP_PHONE_NUMBER_ID',
        "is required with WHATSAPP_CLOUD_TOKEN (from the app's WhatsApp setup page)",
      )
      need('META_APP_SECRET', 'is required for the WhatsApp Cloud API (it verifies the webhooks)')
    }
    if (env.INSTAGRAM_ACCESS_TOKEN !== undefined || env.INSTAGRAM_ACCOUNT_ID !== undefined) {
      need(
        'INSTAGRAM_ACCESS_TOKEN',
        'is required with INSTAGRAM_ACCOUNT_ID (a token with instagram_manage_messages)',
      )
      need(
        'INSTAGRAM_ACCOUNT_ID',
        'is required with INSTAGRAM_ACCESS_TOKEN (the Instagram professional account id)',
      )
      need('META_APP_SECRET', 'is required for Instagram (it verifies the webhooks)')
    }
    if (env.WHATSAPP_WEB_ENABLED)
      need('CHROMIUM_PATH', 'is required when WHATSAPP_WEB_ENABLED=true (e.g. /usr/bin/chromium)')
  })

type Env = z.infer<typeof schema>

export interface Config {
  readonly databaseUrl: string
  readonly port: number
  readonly publicUrl: string | undefined
  readonly logLevel: Env['LOG_LEVEL']
  /** How the outbox treats a platform that is slow or down. */
  readonly delivery: {
    readonly sendTimeoutMs: number
    readonly alertAfterMs: number
    readonly maxBackoffMs: number
    readonly shutdownTimeoutMs: number
    /** How long a reply typed in a thread waits before it leaves (deleting it meanwhile takes it back). */
    readonly replyDelayMs: number
  }
  readonly slack: {
    readonly botToken: string
    readonly signingSecret: string | undefined
    readonly appToken: string | undefined
    readonly supportChannel: string
    readonly apiUrl: string | undefined
    readonly supervisors: readonly string[]
    readonly admins: readonly string[]
    readonly agentGroup: string | undefined
    /** The markers that keep a thread message private (SLACK_NOTE_MARKERS, plus SLACK_NOTE_MARKER). */
    readonly noteMarkers: readonly string[]
    /** Per channel: whether a plain thread message goes to the customer (`send`) or stays inside. */
    readonly replyModes: Readonly<Record<Channel, ReplyMode>>
  }
  readonly meta:
    | {
        readonly appSecret: string
        readonly verifyToken: string | undefined
        readonly graphUrl: string
        readonly graphVersion: string
      }
    | undefined
  readonly whatsappCloud:
    { readonly token: string; readonly phoneNumberId: string; readonly templateLanguage: string } | undefined
  readonly instagram: { readonly token: string; readonly accountId: string } | undefined
  readonly discord:
    | {
        readonly token: string
        readonly apiUrl: string | undefined
        readonly guildChannelId: string | undefined
      }
    | undefined
  readonly whatsappWeb:
    | {
        readonly sessionDir: string
        readonly chromiumPath: string
        readonly chatGapMs: number
        readonly globalGapMs: number
      }
    | undefined
  readonly hours: {
    readonly zone: string
    readonly schedule: readonly OpenSpan[] | undefined
    readonly holidays: readonly string[]
  }
  readonly ticketTypes: readonly string[]
  /** Undefined when AUTO_ASSIGN is off. */
  readonly assignment: AssignmentPolicy | undefined
  readonly customerInfo: { readonly url: string; readonly timeoutMs: number } | undefined
  /** Replaces the default out-of-hours reply. */
  readonly afterHoursReply: string | undefined
  readonly sla: { readonly policy: SlaPolicy; readonly warnAt: number; readonly pausePending: boolean }
  readonly automations: {
    readonly pendingRemindMs: number | null
    readonly pendingSolveMs: number | null
    readonly solvedCloseMs: number | null
    readonly digestAt: string | null
  }
  readonly telegram:
    | {
        readonly token: string
        readonly apiRoot: string | undefined
        readonly webhookSecret: string | undefined
      }
    | undefined
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/** Reads and validates the settings once; a problem throws a ConfigError whose one line names each variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? 'environment')
      const message = i.code === 'invalid_type' && env[name] === undefined ? 'is required' : i.message
      return `${name} ${message}`
    })
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`)
  }
  const e = parsed.data
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    delivery: Object.freeze({
      sendTimeoutMs: e.SEND_TIMEOUT_MS,
      alertAfterMs: e.OUTBOX_ALERT_AFTER ?? 15 * 60_000,
      maxBackoffMs: e.OUTBOX_MAX_BACKOFF_MS,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
      replyDelayMs: e.REPLY_DELAY_S * 1000,
    }),
    slack: Object.freeze({
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      supportChannel: e.SLACK_SUPPORT_CHANNEL,
      apiUrl: e.SLACK_API_URL,
      supervisors: e.SLACK_SUPERVISORS,
      admins: e.SLACK_ADMINS,
      agentGroup: e.SLACK_AGENT_GROUP,
      noteMarkers: Object.freeze([
        ...e.SLACK_NOTE_MARKERS,
        ...(e.SLACK_NOTE_MARKER === undefined ? [] : [e.SLACK_NOTE_MARKER]),
      ]),
      replyModes: Object.freeze(
        Object.fromEntries(CHANNELS.map((c) => [c, e[replyModeVariable(c)] ?? e.REPLY_MODE])) as Record<
          Channel,
          ReplyMode
        >,
      ),
    }),
    meta:
      e.META_APP_SECRET === undefined
        ? undefined
        : Object.freeze({
            appSecret: e.META_APP_SECRET,
            verifyToken: e.META_VERIFY_TOKEN,
            graphUrl: e.META_GRAPH_URL.replace(/\/+$/, ''),
            graphVersion: e.META_GRAPH_VERSION,
          }),
    whatsappCloud:
      e.WHATSAPP_CLOUD_TOKEN === undefined || e.WHATSAPP_PHONE_NUMBER_ID === undefined
        ? undefined
        : Object.freeze({
            token: e.WHATSAPP_CLOUD_TOKEN,
            phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
            templateLanguage: e.WHATSAPP_TEMPLATE_LANGUAGE,
          }),
    instagram:
      e.INSTAGRAM_ACCESS_TOKEN === undefined || e.INSTAGRAM_ACCOUNT_ID === undefined
        ? undefined
        : Object.freeze({ token: e.INSTAGRAM_ACCESS_TOKEN, accountId: e.INSTAGRAM_ACCOUNT_ID }),
    discord:
      e.DISCORD_BOT_TOKEN === undefined
        ? undefined
        : Object.freeze({
            token: e.DISCORD_BOT_TOKEN,
            apiUrl: e.DISCORD_API_URL?.replace(/\/+$/, ''),
            guildChannelId: e.DISCORD_GUILD_CHANNEL_ID,
          }),
    whatsappWeb:
      !e.WHATSAPP_WEB_ENABLED || e.CHROMIUM_PATH === undefined
        ? undefined
        : Object.freeze({
            sessionDir: e.WHATSAPP_WEB_SESSION_DIR,
            chromiumPath: e.CHROMIUM_PATH,
            chatGapMs: e.WHATSAPP_WEB_CHAT_GAP_MS,
            globalGapMs: e.WHATSAPP_WEB_GAP_MS,
          }),
    afterHoursReply: e.AFTER_HOURS_REPLY,
    ticketTypes: e.TICKET_TYPES,
    assignment: e.AUTO_ASSIGN
      ? {
          capacity: e.AGENT_CAPACITY,
          groups: e.ASSIGN_GROUPS ?? {},
          rules: e.ASSIGN_RULES ?? [],
          reassignOnShiftOff: e.REASSIGN_ON_SHIFT_OFF,
        }
      : undefined,
    customerInfo:
      e.CUSTOMER_INFO_URL === undefined
        ? undefined
        : { url: e.CUSTOMER_INFO_URL, timeoutMs: e.CUSTOMER_INFO_TIMEOUT_MS },
    hours: Object.freeze({ zone: e.TZ, schedule: e.BUSINESS_HOURS, holidays: e.HOLIDAYS ?? [] }),
    sla: Object.freeze({
      policy: e.SLA_TARGETS ?? defaultSlaPolicy,
      warnAt: e.SLA_WARN_AT / 100,
      pausePending: e.SLA_PAUSE_PENDING,
    }),
    automations: Object.freeze({
      pendingRemindMs: e.PENDING_REMIND_DAYS === 0 ? null : e.PENDING_REMIND_DAYS * DAY_MS,
      pendingSolveMs: e.PENDING_CLOSE_DAYS === 0 ? null : e.PENDING_CLOSE_DAYS * DAY_MS,
      solvedCloseMs: e.SOLVED_CLOSE_DAYS === 0 ? null : e.SOLVED_CLOSE_DAYS * DAY_MS,
      digestAt: e.DIGEST_TIME === 'off' ? null : e.DIGEST_TIME,
    }),
    telegram:
      e.TELEGRAM_BOT_TOKEN === undefined
        ? undefined
        : Object.freeze({
            token: e.TELEGRAM_BOT_TOKEN,
            apiRoot: e.TELEGRAM_API_ROOT?.replace(/\/+$/, ''),
            webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
          }),
  })
}
