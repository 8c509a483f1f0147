import { z } from 'zod'
import type { Channel } from '../../src/core/model.js'
import { optional, settingsPart, slackUserIds, url } from '../../src/config/part.js'
import type { ReplyMode } from './classify.js'

/** The words that keep a thread message private; see classify.ts for how they are read. */
export const DEFAULT_NOTE_MARKERS = ['note', 'notes', 'private', 'internal'] as const

const REPLY_MODES = ['send', 'internal'] as const satisfies readonly ReplyMode[]

const noteMarker = z
  .string()
  .trim()
  .min(1, 'must name markers separated by commas, like note,private')
  .refine((m) => !m.startsWith('!'), 'must not start with ! (that starts a thread command)')

const replyMode = optional(z.enum(REPLY_MODES, { message: 'must be send or internal' }))

/** REPLY_MODE_TELEGRAM, REPLY_MODE_WHATSAPP_CLOUD, …: one channel's tickets answered otherwise. */
const replyModeVariable = (channel: Channel) => `REPLY_MODE_${channel.toUpperCase()}`

/** The Slack desk's variables; `channels` are the ids a reply mode may be set for. */
export const slackSettings = (channels: readonly Channel[]) =>
  settingsPart({
    env: {
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
      ...Object.fromEntries(channels.map((c) => [replyModeVariable(c), replyMode])),
    },
    requires: (raw, problem) => {
      if (raw('SLACK_APP_TOKEN') === undefined && raw('SLACK_SIGNING_SECRET') === undefined)
        problem('SLACK_SIGNING_SECRET', 'is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)')
    },
    read: (e) => {
      const modes = e as unknown as Record<string, ReplyMode | undefined>
      return Object.freeze({
        botToken: e.SLACK_BOT_TOKEN,
        signingSecret: e.SLACK_SIGNING_SECRET,
        appToken: e.SLACK_APP_TOKEN,
        supportChannel: e.SLACK_SUPPORT_CHANNEL,
        apiUrl: e.SLACK_API_URL,
        supervisors: e.SLACK_SUPERVISORS,
        admins: e.SLACK_ADMINS,
        agentGroup: e.SLACK_AGENT_GROUP,
        /** The markers that keep a thread message private (SLACK_NOTE_MARKERS, plus SLACK_NOTE_MARKER). */
        noteMarkers: Object.freeze([
          ...e.SLACK_NOTE_MARKERS,
          ...(e.SLACK_NOTE_MARKER === undefined ? [] : [e.SLACK_NOTE_MARKER]),
        ]),
        /** Per channel: whether a plain thread message goes to the customer (`send`) or stays inside. */
        replyModes: Object.freeze(
          Object.fromEntries(channels.map((c) => [c, modes[replyModeVariable(c)] ?? e.REPLY_MODE])),
        ),
      })
    },
  })

export type SlackSettings = ReturnType<ReturnType<typeof slackSettings>['read']>
