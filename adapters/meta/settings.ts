import { z } from 'zod'
import { optional } from '../../src/config/part.js'
import type { ChannelContext } from '../channel-module.js'
import { createMetaWebhook, type MetaWebhook } from './webhook.js'

/** The variables every Meta product shares: one app, one webhook, one Graph API. */
export const metaEnv = {
  META_APP_SECRET: optional(z.string().min(8, 'is too short to be an app secret')),
  META_VERIFY_TOKEN: optional(z.string()),
  META_GRAPH_URL: optional(z.url({ message: 'must be a URL (the Graph API base)' })),
  META_GRAPH_VERSION: optional(z.string().regex(/^v\d+\.\d+$/, 'must look like v21.0')),
}

type MetaEnv = z.infer<z.ZodObject<typeof metaEnv>>

export interface MetaApp {
  readonly appSecret: string
  readonly verifyToken: string | undefined
  readonly graphUrl: string
  readonly version: string
}

/** The Meta app a product uses; none without the app secret, which verifies its webhooks. */
export function metaApp(e: MetaEnv): MetaApp | undefined {
  if (e.META_APP_SECRET === undefined) return undefined
  return {
    appSecret: e.META_APP_SECRET,
    verifyToken: e.META_VERIFY_TOKEN,
    graphUrl: (e.META_GRAPH_URL ?? 'https://graph.facebook.com').replace(/\/+$/, ''),
    version: e.META_GRAPH_VERSION ?? 'v21.0',
  }
}

/** The one webhook every Meta product posts to, shared by the channels that use it. */
export const metaWebhookOf = (app: MetaApp, ctx: ChannelContext): MetaWebhook =>
  ctx.shared('meta-webhook', () =>
    createMetaWebhook({ appSecret: app.appSecret, verifyToken: app.verifyToken, log: ctx.log }),
  )
