import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createReports } from '../../src/core/report.js'
import { enqueueDelivery } from '../../src/db/repos/deliveries.js'
import { reportCsv } from '../../src/core/report-csv.js'
import { periodNamed } from '../../src/core/report-request.js'
import type { AppOptions } from '../../src/app.js'
import { AGENT, startHarness, SUPERVISOR, type Harness } from '../helpers/harness.js'
import { decodePng } from '../helpers/png.js'
import { BEN, REPORT_NOW, reportSla, seedReportWeek } from '../helpers/report-world.js'
import { postToSlackEndpoint, slashCommandBody } from '../helpers/slack-requests.js'

const WEEK = '2026-11-23..2026-11-27'
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** The desk with the hand-built week, at the moment its figures are known for. */
async function reportDesk(app: Partial<AppOptions> = {}): Promise<Harness> {
  const h = await startHarness({ env: { TZ: 'UTC', BUSINESS_HOURS: 'Mon-Fri 09:00-17:00' }, app })
  await seedReportWeek(h.db)
  h.clock.set(REPORT_NOW)
  return h
}

/** The whole answer to a /report: its text and whether everyone sees it. */
async function ask(h: Harness, text: string, user = SUPERVISOR, channel = 'CTEAM') {
  const res = await postToSlackEndpoint(
    h.base,
    slashCommandBody('/report', text, user, channel),
    'application/x-www-form-urlencoded',
  )
  return (await res.json()) as { text: string; response_type: string }
}

describe('/report', () => {
  let h: Harness
  beforeEach(async () => {
    h = await reportDesk()
  })
  afterEach(async () => {
    await h.stop()
  })

  const report = (text: string, user?: string, channel?: string) => ask(h, text, user, channel)

  const queued = () => h.db.selectFrom('deliveries').select('id').execute()

  it('answers a supervisor with every figure, and sends the charts and CSV to their messages', async () => {
    const answer = await report(`${WEEK} csv`)
    expect(answer.response_type).toBe('ephemeral')
    expect(answer.text.split('\n')).toEqual([
      `:bar_chart: *Support report, Mon 23 Nov – Fri 27 Nov 2026* (${WEEK}) · the whole desk`,
      '_Times are working time: business hours only (see /hours), time on hold left out._',
      '*Tickets*: 5 created · 3 solved · 1 reopened · 3 still open',
      '*By channel*',
      '• Telegram: 3 created · 2 solved · 0 reopened · 2 still open',
      '• Discord: 1 created · 0 solved · 0 reopened · 1 still open',
      '• WhatsApp: 1 created · 1 solved · 1 reopened · 0 still open',
      '*By type*',
      '• question: 3 created · 2 solved · 0 reopened · 2 still open',
      '• (none): 1 created · 0 solved · 0 reopened · 1 still open',
      '• incident: 1 created · 1 solved · 1 reopened · 0 still open',
      '*By priority*',
      '• urgent: 1 created · 0 solved · 0 reopened · 1 still open',
      '• high: 1 created · 1 solved · 1 reopened · 0 still open',
      '• normal: 2 created · 2 solved · 0 reopened · 1 still open',
      '• low: 1 created · 0 solved · 0 reopened · 1 still open',
      '*First response*: median 1 h 15 min · 90th percentile 2 h (3 tickets)',
      '*Resolution*: median 8 h · 90th percentile 10 h 30 min (3 tickets)',
      '*SLA* (tickets created in the period)',
      '• Urgent · first response within 30 min: 0 met · 1 breached · 0 running',
      '• Urgent · resolution within 4 h: 0 met · 1 breached · 0 running',
      '• High · first response within 1 h: 0 met · 1 breached · 0 running',
      '• High · resolution within 8 h: 0 met · 1 breached · 0 running',
      '• Normal · first response within 4 h: 2 met · 0 breached · 0 running',
      '• Normal · resolution within 24 h: 1 met · 1 breached · 0 running',
      '• Low · first response within 8 h: 0 met · 0 breached · 1 running',
      '• Low · resolution within 40 h: 0 met · 0 breached · 1 running',
      '*Agents*',
      '• <@UBEN>: 1 assigned · 2 solved · first response 1 h 15 min · resolution 8 h (medians) · 2 breaches · 1 reopens',
      '• <@UANA>: 2 assigned · 1 solved · first response 30 min · resolution 2 h (medians) · 2 breaches · 0 reopens',
      '*Busiest hours* (tickets created, UTC): 09:00–10:00 (2) · 16:00–17:00 (2) · 10:00–11:00 (1)',
    ])

    await h.app.followUps()
    // The files wait beside their delivery, not inside it: the queue stays small to read.
    const waiting = await h.db.selectFrom('notice_files').select('filename').orderBy('id').execute()
    expect(waiting.map((f) => f.filename)).toHaveLength(4)
    const notices = await h.db
      .selectFrom('deliveries')
      .select('payload')
      .where('kind', '=', 'desk.notice')
      .execute()
    expect(notices.map((n) => n.payload.length < 1_000)).toEqual([true])
    await h.app.outbox.drain()
    expect(await h.db.selectFrom('notice_files').select('id').execute()).toEqual([])
    expect(h.slack.callsOf('conversations.open')).toEqual([expect.objectContaining({ users: SUPERVISOR })])
    const [complete] = h.slack.callsOf('files.completeUploadExternal')
    expect(complete?.channel_id).toBe(`D${SUPERVISOR}`)
    expect(String(complete?.initial_comment)).toContain(
      `Charts and tickets (CSV) of the report for Mon 23 Nov – Fri 27 Nov 2026`,
    )
    const names = h.slack.callsOf('files.getUploadURLExternal').map((c) => c.filename)
    expect(names).toEqual([
      `tickets-per-day-${WEEK}.png`,
      `first-response-${WEEK}.png`,
      `backlog-${WEEK}.png`,
      `tickets-${WEEK}.csv`,
    ])
    // Each upload is the file inside a multipart body: three pictures and one CSV.
    const pngs = h.slack.uploads.flatMap(({ bytes }) => {
      const start = bytes.indexOf(PNG_SIGNATURE)
      return start < 0 ? [] : [decodePng(bytes.subarray(start, bytes.indexOf('IEND') + 8))]
    })
    expect(pngs.map((p) => [p.width, p.height])).toEqual([
      [1200, 675],
      [1200, 675],
      [1200, 675],
    ])
    const expected = await createReports({ db: h.db, clock: h.clock, sla: reportSla }).build(
      periodNamed(WEEK, REPORT_NOW, 'UTC'),
      {},
    )
    const csv = reportCsv(expected)
    expect(csv.split('\r\n')).toHaveLength(7)
    expect(h.slack.uploads.filter((u) => u.bytes.includes(csv))).toHaveLength(1)
  })

  it('still posts the files of a notice queued with them inside, as before notice_files', async () => {
    const csv = 'id,status\r\n1,open\r\n'
    await enqueueDelivery(
      h.db,
      null,
      {
        type: 'desk.notice',
        text: 'Charts of an earlier report',
        to: SUPERVISOR,
        files: [{ filename: 'tickets-earlier.csv', base64: Buffer.from(csv).toString('base64') }],
      },
      REPORT_NOW.toISOString(),
    )
    await h.app.outbox.drain()
    expect(h.slack.callsOf('files.getUploadURLExternal').map((c) => c.filename)).toEqual([
      'tickets-earlier.csv',
    ])
    expect(h.slack.uploads.filter((u) => u.bytes.includes(csv))).toHaveLength(1)
  })

  it('posts for everyone, charts included, in the channel where it was asked with public', async () => {
    const answer = await report(`${WEEK} public`)
    expect(answer.response_type).toBe('in_channel')
    await h.app.followUps()
    await h.app.outbox.drain()
    expect(h.slack.callsOf('files.completeUploadExternal')[0]?.channel_id).toBe('CTEAM')
    expect(h.slack.callsOf('conversations.open')).toEqual([])
  })

  it("gives an agent their own figures, and refuses them another agent's", async () => {
    const own = await report(WEEK, AGENT)
    expect(own.text).toContain(`· agent <@${AGENT}>`)
    expect(own.text).toContain('*Tickets*: 0 created · 0 solved · 0 reopened · 0 still open')
    await h.app.followUps()
    await h.app.outbox.drain()
    const before = (await queued()).length

    const other = await report(`${WEEK} agent:<@${BEN}|ben>`, AGENT)
    expect(other).toEqual({
      response_type: 'ephemeral',
      text: ":warning: Only supervisors and admins see another agent's figures; `/report` without `agent:` shows yours.",
    })
    expect((await queued()).length).toBe(before)
  })

  it('explains the accepted forms for a bad period, and changes nothing', async () => {
    const answer = await report('2026-13-40..x')
    expect(answer.text).toBe(
      ':warning: `2026-13-40..x` is not a period. Use `/report [today|yesterday|7d|30d|YYYY-MM-DD..YYYY-MM-DD] [channel:NAME] [agent:@user] [public] [csv]`; without a period, the last 7 days.',
    )
    expect(await queued()).toEqual([])
  })
})

describe("/report over more tickets than fit in Slack's wait", () => {
  let h: Harness
  beforeEach(async () => {
    // The week has 5 tickets: over 4, it is made after the answer; a report counts at most 6.
    h = await reportDesk({ reportLimits: { largeOver: 4, most: 6 } })
  })
  afterEach(async () => {
    await h.stop()
  })

  it('answers at once that it is coming, then posts the figures with the charts and CSV', async () => {
    const answer = await ask(h, `${WEEK} csv`)
    expect(answer).toEqual({
      response_type: 'ephemeral',
      text: ":hourglass_flowing_sand: The report for Mon 23 Nov – Fri 27 Nov 2026 counts 5 tickets, more than fit in Slack's wait for an answer: it will be posted in your messages with the app as soon as it is made, charts included.",
    })
    await h.app.followUps()
    await h.app.outbox.drain()
    const [complete] = h.slack.callsOf('files.completeUploadExternal')
    expect(complete?.channel_id).toBe(`D${SUPERVISOR}`)
    // The same figures a small report answers with.
    const comment = String(complete?.initial_comment)
    expect(comment).toContain(
      `:bar_chart: *Support report, Mon 23 Nov – Fri 27 Nov 2026* (${WEEK}) · the whole desk`,
    )
    expect(comment).toContain('*Tickets*: 5 created · 3 solved · 1 reopened · 3 still open')
    expect(h.slack.callsOf('files.getUploadURLExternal').map((c) => c.filename)).toEqual([
      `tickets-per-day-${WEEK}.png`,
      `first-response-${WEEK}.png`,
      `backlog-${WEEK}.png`,
      `tickets-${WEEK}.csv`,
    ])
  })

  it('posts a public one in the channel, and still answers a small one at once', async () => {
    expect((await ask(h, `${WEEK} public`)).text).toContain('it will be posted in this channel')
    await h.app.followUps()
    await h.app.outbox.drain()
    const [complete] = h.slack.callsOf('files.completeUploadExternal')
    expect(complete?.channel_id).toBe('CTEAM')
    expect(String(complete?.initial_comment)).toContain('*Tickets*: 5 created')

    // One agent's week is counted as theirs alone: small enough to answer with.
    expect((await ask(h, `${WEEK} agent:<@${BEN}|ben>`)).text).toContain(`· agent <@${BEN}>`)
    // Yesterday (Friday 27) had one ticket created: small enough to answer with.
    const small = await ask(h, '2026-11-27..2026-11-27')
    expect(small.text).toContain('*Support report, Fri 27 Nov 2026*')
  })

  it('refuses a report over more tickets than one counts, saying how to narrow it', async () => {
    const answer = await ask(h, '2026-11-01..2026-11-30 csv')
    expect(answer).toEqual({
      response_type: 'ephemeral',
      text: ':warning: That period has 7 tickets, and a report counts at most 6: ask for a shorter period, or narrow it with `channel:` or `agent:`.',
    })
    await h.app.followUps()
    expect(await h.db.selectFrom('deliveries').select('id').execute()).toEqual([])
    // Narrowed to one channel, it is counted.
    expect((await ask(h, '2026-11-01..2026-11-30 channel:discord')).text).toContain('*Support report')
  })
})
