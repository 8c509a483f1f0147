/**
 * The bot scopes slack-app-manifest.yaml asks for (`oauth_config.scopes.bot`), in its order; a
 * test keeps the two the same. `npm run doctor` checks that the installed app was granted each.
 */
export const MANIFEST_BOT_SCOPES = [
  'chat:write',
  'chat:write.customize',
  'files:read',
  'files:write',
  'reactions:write',
  'users:read',
  'commands',
  'channels:history',
  'groups:history',
  'channels:read',
  'groups:read',
  'usergroups:read',
  'im:write',
] as const
