import type { App } from '@slack/bolt'
import { reportCharts } from '../../../src/charts/report-charts.js'
import type { Report, ReportFile } from '../../../src/core/report.js'
import type { ReportScope } from '../../../src/db/repos/report-data.js'
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
    const asker = { channel: command.channel_id, user: command.user_id }
    let request: ReportRequest
    let scope: ReportScope
    let size: { tickets: number; large: boolean }
    try {
      request = parseReportRequest(command.text, clock.now(), hours.zone, channels.ids)
      scope = await reports.scopeFor({ deskUserId: command.user_id }, request)
      size = await reports.sizeOf(request.period, scope)
    } catch (error) {
      await ack({ response_type: 'ephemeral', text: ctx.failureText(error) ?? '' })
      return
    }
    const to = request.public ? command.channel_id : command.user_id
    const asked = `\`/report ${command.text.trim()}\``
    if (size.large) {
      // Too many tickets to count while Slack waits: the whole report follows, figures and files.
      await ack({
        response_type: 'ephemeral',
        text: `:hourglass_flowing_sand: The report for ${periodLabel(request.period)} counts ${size.tickets.toLocaleString('en')} tickets, more than fit in Slack's wait for an answer: it will be posted ${request.public ? 'in this channel' : 'in your messages with the app'} as soon as it is made, charts included.`,
      })
      followUps.later('large report', async () => {
        try {
          const report = await reports.build(request.period, scope)
          await reports.share(reportText(report, channels.labelOf), await filesOf(report, request), to)
        } catch (error) {
          log.error({ err: error }, 'a report could not be made')
          await ctx.tellAgent(client, asker, `:x: The report (${asked}) could not be made. Please try again.`)
        }
      })
      return
    }
    let report: Report
    try {
      report = await reports.build(request.period, scope)
    } catch (error) {
      await ack({ response_type: 'ephemeral', text: ctx.failureText(error) ?? '' })
      return
    }
    await ack({
      response_type: request.public ? 'in_channel' : 'ephemeral',
      text: reportText(report, channels.labelOf),
    })
    followUps.later('report files', async () => {
      try {
        const caption = `:chart_with_upwards_trend: Charts${request.csv ? ' and tickets (CSV)' : ''} of the report for ${periodLabel(report.period)} (${asked})`
        await reports.share(caption, await filesOf(report, request), to)
      } catch (error) {
        log.error({ err: error }, 'the charts of a report could not be made')
        await ctx.tellAgent(
          client,
          asker,
          ":warning: The report's charts could not be made; the figures above stand.",
        )
      }
    })
  })

  /** A report's charts, and its tickets as CSV when asked. */
  async function filesOf(report: Report, request: ReportRequest): Promise<ReportFile[]> {
    return [
      ...(await reportCharts(report, channels.labelOf)),
      ...(request.csv
        ? [{ filename: `tickets-${fileStem(report)}.csv`, bytes: Buffer.from(reportCsv(report)) }]
        : []),
    ]
  }
}

const fileStem = (report: Report): string => report.period.name.replace(/[^\w.-]+/g, '_')
