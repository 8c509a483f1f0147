import type { LabelOf } from '../channel-module.js'
import type { OutboxReport } from '../../src/core/outbox-report.js'
import { escapeText } from './text.js'

const ago = (seconds: number): string =>
  seconds < 90
    ? `${Math.round(seconds)} s`
    : seconds < 5400
      ? `${Math.round(seconds / 60)} min`
      : `${Math.round(seconds / 3600)} h`

const serviceName = (service: string, labelOf: LabelOf): string =>
  service === 'slack' ? 'Slack' : service === 'customer-info' ? 'customer info' : escapeText(labelOf(service))

/** `/outbox` in words: what waits where, which targets fail, and the deliveries held back. */
export function outboxText(report: OutboxReport, now: Date, labelOf: LabelOf): string {
  if (report.queues.length === 0) return ':white_check_mark: The outbox is empty: everything was delivered.'
  const lines = ['*Outbox*']
  for (const q of report.queues) {
    lines.push(
      `• ${serviceName(q.service, labelOf)}: ${q.queued} waiting, the oldest for ${ago(q.oldestAgeS)}`,
    )
  }
  if (report.failing.length > 0) {
    lines.push('*Failing now*')
    for (const f of report.failing) {
      const since = (now.getTime() - f.since.getTime()) / 1000
      lines.push(`• \`${escapeText(f.target)}\` for ${ago(since)}: ${escapeText(f.reason)}`)
    }
  }
  if (report.held.length > 0) {
    lines.push('*Held for another try*')
    for (const h of report.held) {
      const ticket = h.ticket === null ? '' : ` for #${h.ticket}`
      const next = Math.max(0, (h.nextAttemptAt.getTime() - now.getTime()) / 1000)
      const tries = `${h.attempts} ${h.attempts === 1 ? 'try' : 'tries'}`
      lines.push(
        `• ${h.kind}${ticket}, ${tries}, next in ${ago(next)}: ${escapeText(h.reason ?? 'waiting for its turn')}`,
      )
    }
    lines.push('`/outbox retry` tries them all now.')
  }
  return lines.join('\n')
}
