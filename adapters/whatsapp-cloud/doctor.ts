import { checkGraphNode } from '../meta/doctor.js'
import type { MetaApp } from '../meta/settings.js'
import type { DoctorCheck, DoctorContext } from '../shared/doctor.js'

/** The phone number id, read with the Cloud API token: both are right, and they belong together. */
export function checkWhatsAppCloud(
  settings: { readonly app: MetaApp; readonly token: string; readonly phoneNumberId: string },
  ctx: DoctorContext,
): Promise<readonly DoctorCheck[]> {
  const { app, token, phoneNumberId } = settings
  return checkGraphNode(
    app,
    token,
    {
      product: 'WhatsApp Cloud API',
      id: phoneNumberId,
      fields: ['display_phone_number', 'verified_name'],
      tokenVariable: 'WHATSAPP_CLOUD_TOKEN',
      idVariable: 'WHATSAPP_PHONE_NUMBER_ID',
      tokenHelp:
        'generate a permanent token for a system user (Business Settings → System users) with ' +
        'whatsapp_business_messaging and whatsapp_business_management, and put it in WHATSAPP_CLOUD_TOKEN',
      idHelp:
        "copy the phone number id (not the number) from the app's WhatsApp → API Setup page into " +
        'WHATSAPP_PHONE_NUMBER_ID, and give the token access to that WhatsApp account',
      describe: (n) =>
        `WhatsApp Cloud API: phone number ${typeof n.display_phone_number === 'string' ? n.display_phone_number : phoneNumberId}` +
        (typeof n.verified_name === 'string' ? ` (${n.verified_name})` : ''),
    },
    ctx,
  )
}
