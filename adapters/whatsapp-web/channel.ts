import { z } from 'zod'
import { flag, optional, settingsPart } from '../../src/config/part.js'
import { defineChannel } from '../channel-module.js'
import { createWhatsAppWebClient } from './client.js'
import { checkWhatsAppWeb } from './doctor.js'

const gap = z.coerce.number({ message: 'must be milliseconds' }).int().min(0)

const env = settingsPart({
  env: {
    WHATSAPP_WEB_ENABLED: flag,
    WHATSAPP_WEB_SESSION_DIR: z.string().min(1).default('./data/whatsapp-web'),
    CHROMIUM_PATH: optional(z.string()),
    WHATSAPP_WEB_CHAT_GAP_MS: gap.default(3000),
    WHATSAPP_WEB_GAP_MS: gap.default(1000),
  },
  requires: (raw, problem) => {
    if (/^(true|1)$/.test(raw('WHATSAPP_WEB_ENABLED') ?? '') && raw('CHROMIUM_PATH') === undefined)
      problem('CHROMIUM_PATH', 'is required when WHATSAPP_WEB_ENABLED=true (e.g. /usr/bin/chromium)')
  },
  read: (e) => {
    if (!e.WHATSAPP_WEB_ENABLED || e.CHROMIUM_PATH === undefined) return undefined
    return {
      sessionDir: e.WHATSAPP_WEB_SESSION_DIR,
      chromiumPath: e.CHROMIUM_PATH,
      chatGapMs: e.WHATSAPP_WEB_CHAT_GAP_MS,
      globalGapMs: e.WHATSAPP_WEB_GAP_MS,
    }
  },
})

/** WhatsApp through whatsapp-web.js: a paired phone, driven in Chromium. */
export const whatsappWeb = defineChannel({
  id: 'whatsapp',
  label: 'WhatsApp',
  flavour: 'whatsapp',
  ...env,
  create: async (settings, ctx) => {
    const { createWhatsAppWebAdapter } = await import('./index.js')
    return createWhatsAppWebAdapter({
      createClient: () => createWhatsAppWebClient(settings),
      chatGapMs: settings.chatGapMs,
      globalGapMs: settings.globalGapMs,
      clock: ctx.clock,
      log: ctx.log,
    })
  },
  doctor: (settings) => checkWhatsAppWeb(settings),
})
