import { z } from 'zod'
import { optional, settingsPart } from '../../src/config/part.js'
import { defineChannel } from '../channel-module.js'
import { metaEnv, metaWebhookOf, readMetaApp } from '../meta/settings.js'
import { checkWhatsAppCloud } from './doctor.js'
import { createWhatsAppCloudAdapter } from './index.js'

const env = settingsPart({
  env: {
    ...metaEnv,
    WHATSAPP_CLOUD_TOKEN: optional(z.string()),
    WHATSAPP_PHONE_NUMBER_ID: optional(z.string().regex(/^\d+$/, 'must be the numeric phone number id')),
    WHATSAPP_TEMPLATE_LANGUAGE: optional(
      z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must look like en_US'),
    ),
  },
  read: (e, problem) => {
    const token = e.WHATSAPP_CLOUD_TOKEN
    const phoneNumberId = e.WHATSAPP_PHONE_NUMBER_ID
    if (token === undefined && phoneNumberId === undefined) return undefined
    if (token === undefined)
      problem(
        'WHATSAPP_CLOUD_TOKEN',
        'is required with WHATSAPP_PHONE_NUMBER_ID (the Cloud API access token)',
      )
    if (phoneNumberId === undefined)
      problem(
        'WHATSAPP_PHONE_NUMBER_ID',
        "is required with WHATSAPP_CLOUD_TOKEN (from the app's WhatsApp setup page)",
      )
    const app = readMetaApp(e, 'the WhatsApp Cloud API', problem)
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
  create: ({ app, ...settings }, ctx) =>
    createWhatsAppCloudAdapter({
      graphUrl: app.graphUrl,
      version: app.version,
      ...settings,
      webhook: metaWebhookOf(app, ctx),
      log: ctx.log,
    }),
  doctor: (settings, ctx) => checkWhatsAppCloud(settings, ctx),
})
