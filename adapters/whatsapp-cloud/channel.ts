import { z } from 'zod'
import { optional, settingsPart, together } from '../../src/config/part.js'
import { defineChannel } from '../channel-module.js'
import { metaApp, metaEnv, metaWebhookOf } from '../meta/settings.js'
import { checkWhatsAppCloud } from './doctor.js'

const env = settingsPart({
  env: {
    ...metaEnv,
    WHATSAPP_CLOUD_TOKEN: optional(z.string()),
    WHATSAPP_PHONE_NUMBER_ID: optional(z.string().regex(/^\d+$/, 'must be the numeric phone number id')),
    WHATSAPP_TEMPLATE_LANGUAGE: optional(
      z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must look like en_US'),
    ),
  },
  requires: (raw, problem) =>
    together(
      raw,
      problem,
      {
        WHATSAPP_CLOUD_TOKEN: 'is required with WHATSAPP_PHONE_NUMBER_ID (the Cloud API access token)',
        WHATSAPP_PHONE_NUMBER_ID:
          "is required with WHATSAPP_CLOUD_TOKEN (from the app's WhatsApp setup page)",
      },
      { META_APP_SECRET: 'is required for the WhatsApp Cloud API (it verifies the webhooks)' },
    ),
  read: (e) => {
    const { WHATSAPP_CLOUD_TOKEN: token, WHATSAPP_PHONE_NUMBER_ID: phoneNumberId } = e
    const app = metaApp(e)
    if (token === undefined || phoneNumberId === undefined || app === undefined) return undefined
    return { app, token, phoneNumberId, templateLanguage: e.WHATSAPP_TEMPLATE_LANGUAGE ?? 'en_US' }
  },
})

/** WhatsApp through Meta's Cloud API: webhooks in, Graph API out, templates outside 24 hours. */
export const whatsappCloud = defineChannel({
  id: 'whatsapp_cloud',
  label: 'WhatsApp',
  flavour: 'whatsapp',
  ...env,
  create: async ({ app, ...settings }, ctx) => {
    const { createWhatsAppCloudAdapter } = await import('./index.js')
    return createWhatsAppCloudAdapter({
      graphUrl: app.graphUrl,
      version: app.version,
      ...settings,
      webhook: metaWebhookOf(app, ctx),
      log: ctx.log,
    })
  },
  doctor: (settings, ctx) => checkWhatsAppCloud(settings, ctx),
})
