import { z } from 'zod'

/** Says that a variable is wrong in combination with another (one is required with the other…). */
export type Problem = (variable: string, message: string) => void

/** Says that settings work, but probably not as meant (a webhook secret without a public URL…). */
export type Warn = (message: string) => void

/**
 * One module's share of the environment: the variables it reads (a zod shape, so each is
 * validated and documented in one place) and how its settings come out of them. src/config.ts
 * composes the parts; a part never reads another's variables except through its own shape.
 */
export interface SettingsPart<Shape extends z.ZodRawShape, Settings> {
  readonly env: Shape
  read(env: z.infer<z.ZodObject<Shape>>, problem: Problem, warn: Warn): Settings
  /**
   * Which variables must be set together, judged on the raw values (unset when empty): it runs even
   * when a value is malformed, so one run names every problem.
   */
  requires?(raw: (name: string) => string | undefined, problem: Problem): void
}

/**
 * Variables that only work together: once any of `own` is set, each one of `own` and `shared`
 * missing is named with what it is for.
 */
export function together(
  raw: (name: string) => string | undefined,
  problem: Problem,
  own: Readonly<Record<string, string>>,
  shared: Readonly<Record<string, string>> = {},
): void {
  const present = (name: string) => raw(name) !== undefined
  if (!Object.keys(own).some(present)) return
  for (const [name, why] of Object.entries({ ...own, ...shared })) if (!present(name)) problem(name, why)
}

export const settingsPart = <Shape extends z.ZodRawShape, Settings>(
  part: SettingsPart<Shape, Settings>,
): SettingsPart<Shape, Settings> => part

/** A variable that may be left out; an empty value counts as left out. */
export const optional = <T extends z.ZodType<string>>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional())

export const url = (what: string) => z.url({ message: `must be a URL (${what})` })

/** Where platforms that push reach this server; read by the process and by channels with webhooks. */
export const publicUrl = optional(url('the public base URL, https://…')).transform((u) =>
  u?.replace(/\/+$/, ''),
)

/** A URL without its trailing slashes, so paths can be appended. */
export const baseUrl = (what: string) => optional(url(what)).transform((u) => u?.replace(/\/+$/, ''))

/** A yes/no setting: true or 1 turns it on; false, 0 or nothing leaves it off. */
export const flag = z
  .enum(['true', 'false', '1', '0', ''], { message: 'must be true or false' })
  .default('false')
  .transform((v) => v === 'true' || v === '1')

export const millis = (fallback: number, min: number) =>
  z.coerce.number({ message: 'must be milliseconds' }).int().min(min).default(fallback)

export const slackUserIds = z
  .string()
  .default('')
  .transform((s) => s.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]+$/, 'must be Slack user ids (U…), separated by commas')))

/** A comma-separated list of words, lower-cased. */
export const wordList = (fallback: readonly string[], message: string) =>
  z
    .string()
    .default(fallback.join(','))
    .transform((v) =>
      v
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[a-z0-9_-]+$/, message)).min(1))

/** Reads a value with a parser that throws an Error whose message says what is wrong. */
export const parsed = <T>(parse: (value: string) => T) =>
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

/** `30s`, `15m`, `4h`, `2d`. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(text.trim())
  if (match === null) throw new Error(`"${text}" is not a duration like 30m or 4h`)
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
}
