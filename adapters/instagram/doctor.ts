import { checkGraphNode } from '../meta/doctor.js'
import type { MetaApp } from '../meta/settings.js'
import type { DoctorCheck, DoctorContext } from '../shared/doctor.js'

/** The account id, read with the access token: both are right, and they belong together. */
export function checkInstagram(
  settings: { readonly app: MetaApp; readonly token: string; readonly accountId: string },
  ctx: DoctorContext,
): Promise<readonly DoctorCheck[]> {
  const { app, token, accountId } = settings
  return checkGraphNode(
    app,
    token,
    {
      product: 'Instagram',
      id: accountId,
      fields: ['username'],
      tokenVariable: 'INSTAGRAM_ACCESS_TOKEN',
      idVariable: 'INSTAGRAM_ACCOUNT_ID',
      tokenHelp:
        'generate a token for the Instagram professional account with instagram_basic and ' +
        'instagram_manage_messages, and put it in INSTAGRAM_ACCESS_TOKEN',
      idHelp: 'set INSTAGRAM_ACCOUNT_ID to the numeric id of the professional account the token manages',
      describe: (n) => `Instagram: account ${typeof n.username === 'string' ? `@${n.username}` : accountId}`,
    },
    ctx,
  )
}
