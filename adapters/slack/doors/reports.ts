import type { App } from '@slack/bolt'
import { reportCharts } from '../../../src/charts/report-charts.js'
import type { Report } from '../../../src/core/report.js'
import { reportCsv } from '../../../src/core/report-csv.js'
import { parseReportRequest, periodLabel, type ReportRequest } from '../../../src/core/report-request.js'
import { slashCommand } from '../command-table.js'
import { reportText } from '../report-text.js'
import type { DoorContext } from './context.js'

/**
 * `/report …`: the figures answer at once (to the caller, or in the channel with `public`); the
 * charts, and the CSV when asked, are made after the answer and follow through the outbox into the
 * same place, or into the caller's messages with the app (an answer only they see cannot carry
 * files).
 */
export function registerReports(app: App, ctx: DoorContext): void {
  const { reports, clock, hours, channels, log, followUps } = ctx

  app.command(slashCommand('report'), async ({ command, ack, client }) => {
    let request: ReportRequest
    let report: Report
    try {
      request = parseReportRequest(command.text, clock.now(), hours.zone, channels.ids)
      report = await reports.forActor({ deskUserId: command.user_id }, request)
    } catch (error) {
      await ack({ response_type: 'ephemeral', text: ctx.failureText(error) ?? '' })
      return
    }
    const text = reportText(report, channels.labelOf)
    await ack({ response_type: request.public ? 'in_channel' : 'ephemeral', text })
    followUps.later('report files', async () => {
      try {
        const files = [
          ...(await reportCharts(report, channels.labelOf)),
          ...(request.csv
            ? [{ filename: `tickets-${fileStem(report)}.csv`, bytes: Buffer.from(reportCsv(report)) }]
            : []),
        ]
        const caption = `:chart_with_upwards_trend: Charts${request.csv ? ' and tickets (CSV)' : ''} of the report for ${periodLabel(report.period)} (\`/report ${command.text.trim()}\`)`
        await reports.share(caption, files, request.public ? command.channel_id : command.user_id)
      } catch (error) {
        log.error({ err: error }, 'the charts of a report could not be made')
        await ctx.tellAgent(
          client,
          { channel: command.channel_id, user: command.user_id },
          ":warning: The report's charts could not be made; the figures above stand.",
        )
      }
    })
  })
}

const fileStem = (report: Report): string => report.period.name.replace(/[^\w.-]+/g, '_')
