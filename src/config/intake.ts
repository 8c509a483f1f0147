import { z } from 'zod'
import { flag, parsed, settingsPart } from './part.js'

/** `telegram:7001, whatsapp_cloud:4915112345678`: contacts let in under CONTACT_POLICY=known. */
function parseAllowList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      if (!/^[a-z_]+:\S+$/.test(entry))
        throw new Error(`"${entry}" is not a contact like telegram:7001 (channel:id)`)
      return entry
    })
}

/** What customers do on their own app: the triage menu at the first message, and who may open tickets. */
export const intakeSettings = settingsPart({
  env: {
    INTAKE: z.enum(['off', 'menu'], { message: 'must be off or menu' }).default('off'),
    INTAKE_URGENCY: flag,
    CONTACT_POLICY: z.enum(['open', 'known'], { message: 'must be open or known' }).default('open'),
    CONTACT_ALLOWLIST: parsed(parseAllowList),
  },
  read: (e) =>
    Object.freeze({
      /** Ask the kind of request (and, with `urgency`, how urgent) at a customer's first message. */
      menu: e.INTAKE === 'menu' ? Object.freeze({ urgency: e.INTAKE_URGENCY }) : undefined,
      /** `known`: only contacts on the allow-list (or let in from Slack) open tickets as work. */
      contactPolicy: e.CONTACT_POLICY,
      allowList: Object.freeze(e.CONTACT_ALLOWLIST ?? []),
    }),
})
