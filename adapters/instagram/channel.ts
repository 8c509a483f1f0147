import { z } from 'zod'
import { optional, settingsPart, together } from '../../src/config/part.js'
import { defineChannel } from '../channel-module.js'
import { metaApp, metaEnv, metaWebhookOf } from '../meta/settings.js'
import { checkInstagram } from './doctor.js'

const env = settingsPart({
  env: {
    ...metaEnv,
    INSTAGRAM_ACCESS_TOKEN: optional(z.string()),
    INSTAGRAM_ACCOUNT_ID: optional(z.string().regex(/^\d+$/, 'must be the numeric Instagram account id')),
  },
  requires: (raw, problem) =>
    together(
      raw,
      problem,
      {
        INSTAGRAM_ACCESS_TOKEN:
          'is required with INSTAGRAM_ACCOUNT_ID (a token with instagram_manage_messages)',
        INSTAGRAM_ACCOUNT_ID:
          'is required with INSTAGRAM_ACCESS_TOKEN (the Instagram professional account id)',
      },
      { META_APP_SECRET: 'is required for Instagram (it verifies the webhooks)' },
    ),
  read: (e) => {
    const { INSTAGRAM_ACCESS_TOKEN: token, INSTAGRAM_ACCOUNT_ID: accountId } = e
    const app = metaApp(e)
    if (token === undefined || accountId === undefined || app === undefined) return undefined
    return { app, token, accountId }
  },
})

/** Instagram direct messages: Meta webhooks in, Graph API out. */
export const instagram = defineChannel({
  id: 'instagram',
  label: 'Instagram',
  flavour: 'plain',
  ...env,
  create: async ({ app, ...settings }, ctx) => {
    const { createInstagramAdapter } = await import('./index.js')
    return createInstagramAdapter({
      graphUrl: app.graphUrl,
      version: app.version,
      ...settings,
      webhook: metaWebhookOf(app, ctx),
      clock: ctx.clock,
      log: ctx.log,
    })
  },
  doctor: (settings, ctx) => checkInstagram(settings, ctx),
})
