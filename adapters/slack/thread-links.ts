import type { App } from '@slack/bolt'
import { call } from './errors.js'

/** A permalink to a thread, built locally: the workspace URL is asked of Slack once, not per ticket. */
export function createThreadLinks(app: App): (channel: string, ts: string) => Promise<string> {
  let workspaceUrl: Promise<string> | undefined
  return async (channel, ts) => {
    workspaceUrl ??= call('auth.test', () => app.client.auth.test()).then(
      (r) => r.url ?? 'https://slack.com/',
      () => 'https://slack.com/',
    )
    return `${await workspaceUrl}archives/${channel}/p${ts.replace('.', '')}`
  }
}
