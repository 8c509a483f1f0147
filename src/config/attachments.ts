import { z } from 'zod'
import { DEFAULT_TYPE_GROUPS, TYPE_GROUPS } from '../core/files.js'
import { optional, settingsPart } from './part.js'

const MIME = /^[a-z]+\/(?:[a-z0-9.+-]+\*?|\*)$/

/** `images,pdf,application/x-foo`: groups by name, or MIME types (`type/*` for a family). */
function readTypes(value: string, ctx: z.RefinementCtx): string[] {
  const types: string[] = []
  for (const word of value.split(',').map((w) => w.trim().toLowerCase())) {
    if (word === '') continue
    const group = TYPE_GROUPS[word]
    if (group !== undefined) types.push(...group)
    else if (MIME.test(word)) types.push(word)
    else
      ctx.addIssue({
        code: 'custom',
        message: `"${word}" is neither a group (${Object.keys(TYPE_GROUPS).join(', ')}) nor a MIME type like application/pdf or image/*`,
      })
  }
  if (types.length === 0)
    ctx.addIssue({ code: 'custom', message: 'lists no type: every file would be refused' })
  return types
}

/** Which files may travel, how large, and whether their bytes are kept after delivery. */
export const attachmentSettings = settingsPart({
  env: {
    MAX_ATTACHMENT_MB: z.coerce
      .number({ message: 'must be a number of megabytes' })
      .positive('must be more than 0')
      .max(2000, 'must be at most 2000')
      .default(25),
    ATTACHMENT_TYPES: z.string().default(DEFAULT_TYPE_GROUPS.join(',')).transform(readTypes),
    ATTACHMENT_DIR: optional(z.string()),
    ATTACHMENT_KEEP_DAYS: z.coerce
      .number({ message: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1')
      .default(30),
  },
  read: (e) =>
    Object.freeze({
      limits: Object.freeze({
        maxBytes: Math.floor(e.MAX_ATTACHMENT_MB * 1024 * 1024),
        types: e.ATTACHMENT_TYPES,
      }),
      /** Where file bytes are kept after delivery; not kept when undefined. */
      dir: e.ATTACHMENT_DIR,
      keepDays: e.ATTACHMENT_KEEP_DAYS,
    }),
})
