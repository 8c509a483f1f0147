import { parsed, parseDuration, settingsPart } from '../../src/config/part.js'
import { defineChannel } from '../channel-module.js'

const WINDOWS_MS = { s: 1_000, sec: 1_000, min: 60_000, m: 60_000, h: 3_600_000, hour: 3_600_000 } as const

/** `600/min`, `10/s`, `5000/h`: requests per window. */
export function parseRateLimit(text: string): { count: number; windowMs: number } {
  const m = /^(\d+)\s*\/\s*(s|sec|m|min|h|hour)$/.exec(text.trim())
  const count = Number(m?.[1])
  if (m === null || !(count >= 1)) throw new Error(`"${text}" is not a rate like 600/min`)
  return { count, windowMs: WINDOWS_MS[m[2] as keyof typeof WINDOWS_MS] }
}

const env = settingsPart({
  env: {
    API_RATE_LIMIT: parsed(parseRateLimit),
    WEBHOOK_DISABLE_AFTER: parsed(parseDuration),
  },
  read: (e) =>
    Object.freeze({
      rateLimit: e.API_RATE_LIMIT ?? { count: 600, windowMs: 60_000 },
      webhookDisableAfterMs: e.WEBHOOK_DISABLE_AFTER ?? 24 * 3_600_000,
    }),
})

export type ApiSettings = NonNullable<ReturnType<typeof env.read>>

/**
 * A company's own website or app, through the HTTP API (/api/v1): tickets it opens are the `api`
 * channel's. Built in, always on: the API is served by the process itself, so the channel is not
 * among those the variables turn on (see src/config.ts). An agent's reply "leaves" by becoming the
 * `message.created` webhook event, which the outbox delivers to the endpoints admins registered.
 */
export const api = defineChannel({
  id: 'api',
  label: 'API',
  flavour: 'markdown',
  ...env,
  create: async (_settings, ctx) => {
    const { createApiAdapter } = await import('./index.js')
    return createApiAdapter(ctx.clock)
  },
})
