import { z } from 'zod'
import { optional, settingsPart } from '../../src/config/part.js'
import { defineChannel } from '../channel-module.js'
import { metaEnv, metaWebhookOf, readMetaApp } from '../meta/settings.js'
import { checkInstagram } from './doctor.js'
import { createInstagramAdapter } from './index.js'

const env = settingsPart({
  env: {
    ...metaEnv,
    INSTAGRAM_ACCESS_TOKEN: optional(z.string()),
    INSTAGRAM_ACCOUNT_ID: optional(z.string().regex(/^\d+$/, 'must be the numeric Instagram account id')),
  },
  read: (e, problem) => {
    const token = e.INSTAGRAM_ACCESS_TOKEN
    const accountId = e.INSTAGRAM_ACCOUNT_ID
    if (token === undefined && accountId === undefined) return undefined
    if (token === undefined)
      problem(
        'INSTAGRAM_ACCESS_TOKEN',
        'is required with INSTAGRAM_ACCOUNT_ID (a token with instagram_manage_messages)',
      )
    if (accountId === undefined)
      problem(
        'INSTAGRAM_ACCOUNT_ID',
        'is required with INSTAGRAM_ACCESS_TOKEN (the Instagram professional account id)',
      )
    const app = readMetaApp(e, 'Instagram', problem)
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
  create: ({ app, ...settings }, ctx) =>
    createInstagramAdapter({
      graphUrl: app.graphUrl,
      version: app.version,
      ...settings,
      webhook: metaWebhookOf(app, ctx),
      clock: ctx.clock,
      log: ctx.log,
    }),
  doctor: (settings, ctx) => checkInstagram(settings, ctx),
})
