import type { Counts, Report, SlaLine } from '../../src/core/report.js'
import { durationWords, periodLabel } from '../../src/core/report-request.js'
import { clockLabel } from '../../src/core/sla.js'
import type { LabelOf } from '../channel-module.js'
import { escapeText, mention } from './text.js'

const countsText = (c: Counts): string =>
  `${c.created} created · ${c.solved} solved · ${c.reopened} reopened · ${c.stillOpen} still open`

const spreadText = (label: string, s: Report['firstResponse']): string =>
  s.count === 0
    ? `*${label}*: none measured`
    : `*${label}*: median ${durationWords(s.medianMs)} · 90th percentile ${durationWords(s.p90Ms)} (${s.count} ticket${s.count === 1 ? '' : 's'})`

const slaText = (l: SlaLine): string =>
  `• ${l.priority[0]?.toUpperCase()}${l.priority.slice(1)} · ${clockLabel[l.clock].toLowerCase()} within ${durationWords(l.targetMs)}: ${l.met} met · ${l.breached} breached · ${l.pending} running`

const hourText = (hour: number): string => `${String(hour).padStart(2, '0')}:00`

/** Which part of the desk a report covers, in words. */
export function scopeText(report: Pick<Report, 'scope'>, labelOf: LabelOf): string {
  const parts = [
    ...(report.scope.channel === undefined ? [] : [`channel ${labelOf(report.scope.channel)}`]),
    ...(report.scope.agent === undefined ? [] : [`agent ${mention(report.scope.agent)}`]),
  ]
  return parts.length === 0 ? 'the whole desk' : parts.join(', ')
}

/**
 * A report in Slack's words: every figure of README's "Reports", in the order it defines them.
 * Types come from agents, channels from the catalog; both are escaped all the same.
 */
export function reportText(report: Report, labelOf: LabelOf): string {
  const slice = (title: string, lines: Report['byChannel'], label: (key: string) => string) =>
    lines.length === 0
      ? []
      : [`*${title}*`, ...lines.map((l) => `• ${escapeText(label(l.key))}: ${countsText(l)}`)]
  return [
    `:bar_chart: *Support report, ${periodLabel(report.period)}* (${report.period.name}) · ${scopeText(report, labelOf)}`,
    report.workingTime
      ? `_Times are working time: business hours only (see /hours), time on hold left out._`
      : `_Times are wall-clock time (no business hours are set), time on hold left out._`,
    `*Tickets*: ${countsText(report.totals)}`,
    ...slice('By channel', report.byChannel, labelOf),
    ...slice('By type', report.byType, (k) => k),
    ...slice('By priority', report.byPriority, (k) => k),
    spreadText('First response', report.firstResponse),
    spreadText('Resolution', report.resolution),
    ...(report.sla.length === 0 ? [] : ['*SLA* (tickets created in the period)', ...report.sla.map(slaText)]),
    ...(report.agents.length === 0
      ? []
      : [
          '*Agents*',
          ...report.agents.map(
            (a) =>
              `• ${mention(a.agent)}: ${a.assigned} assigned · ${a.solved} solved · first response ${durationWords(a.medianFirstResponseMs)} · resolution ${durationWords(a.medianResolutionMs)} (medians) · ${a.breaches} breaches · ${a.reopens} reopens`,
          ),
        ]),
    ...(report.busiestHours.length === 0
      ? []
      : [
          `*Busiest hours* (tickets created, ${report.period.zone}): ${report.busiestHours
            .map((h) => `${hourText(h.hour)}–${hourText((h.hour + 1) % 24)} (${h.created})`)
            .join(' · ')}`,
        ]),
  ].join('\n')
}
