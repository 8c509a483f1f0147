import { z } from 'zod'
import { isValidZone, parseSchedule } from '../core/hours.js'
import { PRIORITIES, type Priority } from '../core/model.js'
import { defaultSlaPolicy, type SlaPolicy } from '../core/sla.js'
import { DEFAULT_TICKET_TYPES } from '../core/ticket-fields.js'
import { flag, optional, parsed, parseDuration, settingsPart, url, wordList } from './part.js'

const DAY_MS = 86_400_000

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

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

/** `mon 09:00`: the day of the week (Monday = 1) and the local time of the weekly report. */
function parseWeekly(text: string): { weekday: number; at: string } {
  const match = /^([a-z]{3})[a-z]*\s+(([01]\d|2[0-3]):[0-5]\d)$/i.exec(text.trim())
  const weekday = WEEKDAYS.indexOf((match?.[1] ?? '').toLowerCase()) + 1
  if (match === null || weekday === 0) throw new Error(`"${text}" is not a day and time like mon 09:00`)
  return { weekday, at: match[2] ?? '' }
}

const days = z.coerce.number({ message: 'must be a number of days (0 turns the rule off)' }).min(0)
const afterDays = (n: number) => (n === 0 ? null : n * DAY_MS)

/** How the desk works: business hours, SLA targets, automations, ticket types, customer lookups. */
export const deskPolicySettings = settingsPart({
  env: {
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
    DIGEST_TIME: z
      .string()
      .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'must be a time like 08:00, or off')
      .default('08:00'),
    REPORT_WEEKLY: parsed(parseWeekly),
    AFTER_HOURS_REPLY: optional(
      z.string().includes('{{business.opens}}', {
        message: 'must say when the team is back: include {{business.opens}}',
      }),
    ),
    TICKET_TYPES: wordList(
      DEFAULT_TICKET_TYPES,
      'must be a comma-separated list of words like incident,question',
    ),
    CUSTOMER_INFO_URL: optional(url('where new customers are looked up')),
    CUSTOMER_INFO_TIMEOUT_MS: z.coerce
      .number({ message: 'must be milliseconds' })
      .int()
      .min(100)
      .default(3000),
  },
  read: (e) => ({
    hours: Object.freeze({ zone: e.TZ, schedule: e.BUSINESS_HOURS, holidays: e.HOLIDAYS ?? [] }),
    sla: Object.freeze({
      policy: e.SLA_TARGETS ?? defaultSlaPolicy,
      warnAt: e.SLA_WARN_AT / 100,
      pausePending: e.SLA_PAUSE_PENDING,
    }),
    automations: Object.freeze({
      pendingRemindMs: afterDays(e.PENDING_REMIND_DAYS),
      pendingSolveMs: afterDays(e.PENDING_CLOSE_DAYS),
      solvedCloseMs: afterDays(e.SOLVED_CLOSE_DAYS),
      digestAt: e.DIGEST_TIME === 'off' ? null : e.DIGEST_TIME,
      weeklyReport: e.REPORT_WEEKLY ?? null,
    }),
    /** Replaces the default out-of-hours reply. */
    afterHoursReply: e.AFTER_HOURS_REPLY,
    ticketTypes: e.TICKET_TYPES,
    customerInfo:
      e.CUSTOMER_INFO_URL === undefined
        ? undefined
        : Object.freeze({ url: e.CUSTOMER_INFO_URL, timeoutMs: e.CUSTOMER_INFO_TIMEOUT_MS }),
  }),
})
