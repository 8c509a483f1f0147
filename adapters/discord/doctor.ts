import {
  failed,
  getJson,
  passed,
  unreachable,
  type DoctorCheck,
  type DoctorContext,
} from '../shared/doctor.js'

const DEFAULT_API_URL = 'https://discord.com/api'

interface CurrentUser {
  readonly username?: string
  readonly discriminator?: string
  readonly message?: string
}

/** `GET /users/@me` with the bot token: the token is a bot's, and which. */
export async function checkDiscord(
  settings: { readonly token: string; readonly apiUrl: string | undefined },
  ctx: DoctorContext,
): Promise<readonly DoctorCheck[]> {
  const base = settings.apiUrl ?? DEFAULT_API_URL
  const reply = await getJson(
    `${base}/v10/users/@me`,
    { authorization: `Bot ${settings.token}` },
    ctx.timeoutMs,
  )
  if (!reply.reached) return [unreachable('Discord', base, reply.reason, 'DISCORD_API_URL')]
  const user = (reply.body ?? {}) as CurrentUser
  if (reply.status === 200) {
    const tag = user.discriminator === undefined || user.discriminator === '0' ? '' : `#${user.discriminator}`
    return [passed(`Discord: bot ${user.username ?? '(no name)'}${tag}`)]
  }
  if (reply.status === 401)
    return [
      failed(
        'Discord refused DISCORD_BOT_TOKEN (401 Unauthorized)',
        'reset the token in the Developer Portal (your application → Bot → Reset Token) and copy it into DISCORD_BOT_TOKEN',
      ),
    ]
  return [
    failed(
      `Discord answered ${reply.status}${user.message === undefined ? '' : `: ${user.message}`}`,
      'try again later; if it persists, check DISCORD_API_URL',
    ),
  ]
}
