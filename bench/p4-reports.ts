/**
 * P4 reports: on the seeded history, a supervisor's `/report 30d csv` through the real, signed slash
 * command (the figures answer; the charts and CSV follow through the outbox, and the time until they
 * reach Slack is measured too), and App Home as a busy agent opens it
 * (their queue and today's figures, published before the event is answered), and a supervisor's.
 * Each opens it once: a second open within the publish gap would be coalesced, not measured.
 */
import { eventEnvelope, slashCommandBody, slackSignature } from '../test/helpers/slack-requests.js'
import type { FakeSlack } from '../test/fakes/slack-api.js'
import { AGENT, type RunningBot } from './bot.js'
import { createClient } from './load.js'
import { quantile } from './report.js'

export interface ReportTimes {
  /** A supervisor's App Home, opened once. */
  readonly supervisorMs: number
  readonly report: { readonly p50Ms: number; readonly p99Ms: number; readonly lines: number }
  /** From the request until its charts and CSV were posted in Slack. */
  readonly files: { readonly p50Ms: number; readonly p99Ms: number; readonly missing: number }
  readonly home: { readonly p50Ms: number; readonly p99Ms: number; readonly published: number }
  readonly refused: string[]
}

/** How long a report's charts and CSV may take to reach Slack before they count as missing. */
const FILES_WAIT_MS = 60_000

/** The seeded agents after the first (a supervisor): `U000002` … */
const agentId = (n: number) => `U${String(n + 2).padStart(6, '0')}`

export async function askReports(
  bot: RunningBot,
  slack: FakeSlack,
  runs: number,
  agents: number,
): Promise<ReportTimes> {
  const client = createClient(`${bot.base}/slack/events`, 1)
  const refused: string[] = []
  const post = (body: string, type: string) => {
    const timestamp = Math.floor(Date.now() / 1000)
    return client.post({
      body,
      headers: {
        'content-type': type,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(body, timestamp),
      },
    })
  }
  try {
    const reports: number[] = []
    const files: number[] = []
    let missing = 0
    let lines = 0
    for (let r = 0; r < runs; r++) {
      const posted = slack.callsOf('files.completeUploadExternal').length
      const t = performance.now()
      const answer = await post(
        slashCommandBody('/report', '30d csv', AGENT),
        'application/x-www-form-urlencoded',
      )
      reports.push(performance.now() - t)
      if (answer.status !== 200) refused.push(`/report: HTTP ${answer.status}`)
      lines = (JSON.parse(answer.body || '{}') as { text?: string }).text?.split('\n').length ?? 0
      const until = performance.now() + FILES_WAIT_MS
      while (slack.callsOf('files.completeUploadExternal').length === posted && performance.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 5))
      if (slack.callsOf('files.completeUploadExternal').length === posted) missing++
      else files.push(performance.now() - t)
    }
    const homes: number[] = []
    const before = slack.callsOf('views.publish').length
    for (let r = 0; r < Math.min(runs, agents - 1); r++) {
      const event = { type: 'app_home_opened', user: agentId(r), channel: 'D1', tab: 'home', event_ts: '1.1' }
      const t = performance.now()
      const answer = await post(eventEnvelope(event, `EvHome${r}`), 'application/json')
      homes.push(performance.now() - t)
      if (answer.status !== 200) refused.push(`app_home_opened: HTTP ${answer.status}`)
    }
    // The supervisor's tab (the team's queue, every clock of every ticket that needs work): once,
    // as a second open within the gap would be coalesced.
    const t = performance.now()
    const supervisor = await post(
      eventEnvelope(
        { type: 'app_home_opened', user: AGENT, channel: 'D1', tab: 'home', event_ts: '1.1' },
        'EvHomeSup',
      ),
      'application/json',
    )
    const supervisorMs = performance.now() - t
    if (supervisor.status !== 200) refused.push(`app_home_opened (supervisor): HTTP ${supervisor.status}`)
    return {
      supervisorMs,
      report: { p50Ms: quantile(reports, 0.5), p99Ms: quantile(reports, 0.99), lines },
      files: { p50Ms: quantile(files, 0.5), p99Ms: quantile(files, 0.99), missing },
      home: {
        p50Ms: quantile(homes, 0.5),
        p99Ms: quantile(homes, 0.99),
        published: slack.callsOf('views.publish').length - before,
      },
      refused,
    }
  } finally {
    client.close()
  }
}
