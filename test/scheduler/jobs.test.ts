import { afterEach, describe, expect, it } from 'vitest'
import { eventsOf } from '../../src/db/repos/events.js'
import { findTicket } from '../../src/db/repos/tickets.js'
import { JOBS } from '../../src/scheduler/index.js'
import { AGENT, startHarness, SUPERVISOR, SUPPORT_CHANNEL, type Harness } from '../helpers/harness.js'
import { inbound } from '../helpers/inbound.js'
import { tempDatabaseUrl } from '../helpers/temp-db.js'

const H = 3_600_000
const DAY = 24 * H
const env = { TZ: 'Europe/Berlin', BUSINESS_HOURS: 'Mon-Fri 09:00-17:00', HOLIDAYS: '2026-12-24' }

describe('scheduled jobs', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.stop()
    h = undefined
  })

  const start = async (extra: Record<string, string> = {}) =>
    (h = await startHarness({ env: { ...env, ...extra } }))
  const run = async (harness: Harness, job: keyof typeof JOBS, iso?: string) => {
    if (iso !== undefined) harness.clock.set(new Date(iso))
    await JOBS[job]!(harness.app.jobDeps, harness.clock.now())
    await harness.app.outbox.drain()
  }
  const threadLines = (harness: Harness) =>
    harness.slack
      .callsOf('chat.postMessage')
      .filter((p) => p.thread_ts !== undefined)
      .map((p) => String(p.text))

  /** A ticket opened on Monday 23 Nov at 10:00 Berlin time, assigned to AGENT. */
  async function mondayTicket(harness: Harness) {
    harness.clock.set(new Date('2026-11-23T09:00:00Z'))
    const { ticketId } = await harness.app.helpdesk.receive(inbound('Where is my order?'))
    await harness.app.helpdesk.assign({ deskUserId: AGENT }, ticketId!, AGENT)
    await harness.app.outbox.drain()
    harness.slack.reset()
    return ticketId!
  }

  describe('SLA alerts', () => {
    it('let webhooks and commands in between pages of a large desk', async () => {
      const harness = await start()
      const at = '2026-11-23T09:00:00.000Z'
      harness.clock.set(new Date(at))
      const contact = await harness.db
        .insertInto('contacts')
        .values({
          channel: 'telegram',
          external_id: 'many',
          display_name: 'Many',
          created_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const tickets = Array.from({ length: 1_600 }, (_, i) => ({
        contact_id: contact.id,
        channel: 'telegram' as const,
        status: 'open' as const,
        subject: `ticket ${i}`,
        created_at: at,
        updated_at: at,
      }))
      for (let i = 0; i < tickets.length; i += 400)
        await harness.db
          .insertInto('tickets')
          .values(tickets.slice(i, i + 400))
          .execute()
      let turns = 0
      let passing = true
      const count = () => {
        if (!passing) return
        turns++
        setImmediate(count)
      }
      setImmediate(count)
      await JOBS['sla-alerts']!(harness.app.jobDeps, harness.clock.now())
      passing = false
      // Four pages of tickets: the event loop turned between them.
      expect(turns).toBeGreaterThanOrEqual(3)
    })

    it('warn the assignee at 75 % of the target and tell assignee and supervisors at breach, each once', async () => {
      const harness = await start()
      await mondayTicket(harness) // normal: first response within 4 working hours, 10:00 → 14:00
      await run(harness, 'sla-alerts', '2026-11-23T11:59:00Z')
      expect(threadLines(harness)).toEqual([])

      await run(harness, 'sla-alerts', '2026-11-23T12:00:00Z')
      await run(harness, 'sla-alerts', '2026-11-23T12:30:00Z')
      expect(threadLines(harness)).toEqual([
        `:hourglass_flowing_sand: *First response due Mon 23 Nov, 14:00 (Europe/Berlin)* on #1 (75 % of the target used). <@${AGENT}>`,
      ])

      await run(harness, 'sla-alerts', '2026-11-23T13:00:00Z')
      await run(harness, 'sla-alerts', '2026-11-23T13:01:00Z')
      const lines = threadLines(harness)
      expect(lines).toHaveLength(2)
      expect(lines[1]).toBe(
        `:rotating_light: *First response SLA breached* on #1 (target 4 h of working time). <@${AGENT}> <@${SUPERVISOR}>`,
      )
      expect(JSON.stringify(harness.slack.callsOf('chat.update').at(-1)?.blocks)).toContain(
        'First response breached',
      )
    })

    // Thousands of tickets: on a busy machine this takes longer than the default timeout.
    it('reach every ticket of a large desk, each alerted once', async () => {
      const harness = await start()
      harness.clock.set(new Date('2026-11-23T09:00:00Z'))
      const count = 1_234 // more than two pages of the pass
      for (let i = 0; i < count; i++) {
        await harness.app.helpdesk.receive(
          inbound(`Order ${i}?`, {
            externalId: `m${i}`,
            contact: { externalId: `c${i}`, displayName: `C${i}` },
          }),
        )
      }
      // Every third one open: the pass reads status by status, in pages across both.
      await harness.db
        .updateTable('tickets')
        .set({ status: 'open' })
        .where(
          'id',
          'in',
          Array.from({ length: count }, (_, i) => i + 1).filter((id) => id % 3 === 0),
        )
        .execute()
      const breaches = async () => {
        let n = 0
        for (let id = 1; id <= count; id++) {
          n += (await eventsOf(harness.app.jobDeps.db, id)).filter((e) => e.action === 'sla_breach').length
        }
        return n
      }
      // The job alone (the thread lines it queues are the other tests' subject).
      const pass = (iso: string) => JOBS['sla-alerts']!(harness.app.jobDeps, new Date(iso))
      await pass('2026-11-23T16:00:00Z')
      expect(await breaches()).toBe(count)
      await pass('2026-11-23T16:01:00Z')
      expect(await breaches()).toBe(count)
    }, 60_000)

    it('tell no supervisor whose access was taken away', async () => {
      const harness = await start()
      await mondayTicket(harness)
      await harness.app.jobDeps.db
        .updateTable('agents')
        .set({ removed_at: '2026-11-23T09:30:00.000Z' })
        .where('desk_user_id', '=', SUPERVISOR)
        .execute()
      await run(harness, 'sla-alerts', '2026-11-23T13:00:00Z')
      expect(threadLines(harness).at(-1)).toBe(
        `:rotating_light: *First response SLA breached* on #1 (target 4 h of working time). <@${AGENT}>`,
      )
    })

    it('breach once, without a stale warning, when the bot was off over the deadline', async () => {
      const harness = await start()
      await mondayTicket(harness)
      await run(harness, 'sla-alerts', '2026-11-24T15:00:00Z')
      await run(harness, 'sla-alerts', '2026-11-24T15:01:00Z')
      expect(threadLines(harness).map((l) => l.slice(0, 40))).toEqual([
        ':rotating_light: *First response SLA bre',
      ])
    })

    it('keep what they said across a restart in the middle of a breach window', async () => {
      const file = { DATABASE_URL: await tempDatabaseUrl() }
      const first = await startHarness({ env: { ...env, ...file } })
      await mondayTicket(first)
      await run(first, 'sla-alerts', '2026-11-23T12:10:00Z')
      expect(threadLines(first)).toHaveLength(1)
      await first.stop()

      const harness = (h = await startHarness({ env: { ...env, ...file } }))
      await run(harness, 'sla-alerts', '2026-11-23T12:40:00Z')
      expect(threadLines(harness)).toEqual([])
      await run(harness, 'sla-alerts', '2026-11-23T13:05:00Z')
      expect(threadLines(harness).map((l) => l.slice(0, 40))).toEqual([
        ':rotating_light: *First response SLA bre',
      ])
    })

    it('stop while a ticket is on hold, and do not count the weekend', async () => {
      const harness = await start()
      const id = await mondayTicket(harness)
      harness.clock.set(new Date('2026-11-23T10:00:00Z'))
      await harness.app.helpdesk.setStatus({ deskUserId: AGENT }, id, 'on_hold')
      await run(harness, 'sla-alerts', '2026-11-27T15:00:00Z') // days later, still on hold
      expect(threadLines(harness)).toEqual([])
      harness.clock.set(new Date('2026-11-27T15:00:00Z')) // Fri 16:00: one hour used before the hold
      await harness.app.helpdesk.setStatus({ deskUserId: AGENT }, id, 'open')
      await run(harness, 'sla-alerts', '2026-11-30T08:30:00Z') // Mon 09:30: 1 h + 1 h (Fri) + 0.5 h
      expect(threadLines(harness)).toEqual([])
      await run(harness, 'sla-alerts', '2026-11-30T09:00:00Z') // Mon 10:00: 3 h used, 75 %
      expect(threadLines(harness)[0]).toContain('*First response due Mon 30 Nov, 11:00 (Europe/Berlin)*')
    })
  })

  describe('out-of-hours auto-reply', () => {
    it('tells a customer who writes while the team is away when it is back, once per closed period', async () => {
      const harness = await start()
      harness.clock.set(new Date('2026-11-28T10:00:00Z')) // Saturday
      await harness.app.helpdesk.receive(inbound('Hello?'))
      await harness.app.helpdesk.receive(inbound('Anyone there?'))
      harness.clock.set(new Date('2026-11-30T09:00:00Z')) // Monday, open: nothing
      await harness.app.helpdesk.receive(inbound('Good morning'))
      harness.clock.set(new Date('2026-12-05T10:00:00Z')) // the next Saturday
      await harness.app.helpdesk.receive(inbound('Hello again?'))
      await harness.app.outbox.drain()
      expect(harness.telegram.sent.map((s) => String(s.text))).toEqual([
        expect.stringMatching(
          /ticket #1 .*Our team is away right now and will be back Mon 30 Nov, 09:00 \(Europe\/Berlin\)\.$/,
        ),
        'Our team is away right now and will be back Mon 7 Dec, 09:00 (Europe/Berlin).',
      ])
    })

    it('says what the team configured', async () => {
      const harness = await start({ AFTER_HOURS_REPLY: 'Wir sind ab {{business.opens}} wieder da.' })
      harness.clock.set(new Date('2026-11-28T10:00:00Z'))
      await harness.app.helpdesk.receive(inbound('Hallo?'))
      await harness.app.outbox.drain()
      expect(String(harness.telegram.sent[0]?.text)).toMatch(
        /Wir sind ab Mon 30 Nov, 09:00 \(Europe\/Berlin\) wieder da\.$/,
      )
    })

    it('counts a holiday as away', async () => {
      const harness = await start()
      harness.clock.set(new Date('2026-12-24T10:00:00Z')) // Thursday, a holiday
      await harness.app.helpdesk.receive(inbound('Merry Christmas, my order?'))
      await harness.app.outbox.drain()
      expect(String(harness.telegram.sent[0]?.text)).toContain('back Fri 25 Dec, 09:00')
    })
  })

  describe('lifecycle automations', () => {
    it('remind a pending customer after 3 days, solve after 5, close 4 days after solving', async () => {
      const harness = await start()
      const id = await mondayTicket(harness)
      harness.telegram.sent.length = 0
      await harness.app.helpdesk.setStatus({ deskUserId: AGENT }, id, 'pending') // Mon 23 Nov 09:00Z
      const t0 = new Date('2026-11-23T09:00:00Z').getTime()
      const runAt = (ms: number) => run(harness, 'lifecycle', new Date(t0 + ms).toISOString())

      await runAt(3 * DAY - 60_000)
      expect(harness.telegram.sent).toEqual([])
      await runAt(3 * DAY)
      await runAt(3 * DAY + H)
      expect(harness.telegram.sent.map((s) => String(s.text))).toEqual([
        expect.stringContaining('We are still waiting for your answer on ticket #1'),
      ])

      await runAt(5 * DAY)
      expect((await findTicket(harness.db, id))?.status).toBe('solved')
      expect(threadLines(harness).at(-1)).toBe(
        ':robot_face: Solved automatically: the customer did not answer for 5 days.',
      )
      await runAt(9 * DAY - 60_000)
      expect((await findTicket(harness.db, id))?.status).toBe('solved')
      await runAt(9 * DAY)
      expect((await findTicket(harness.db, id))?.status).toBe('closed')
      const statuses = (await eventsOf(harness.db, id)).filter((e) => e.action === 'status')
      expect(statuses.map((e) => `${e.actor_type}:${e.to_value}`)).toEqual([
        'agent:open',
        'agent:pending',
        'system:solved',
        'system:closed',
      ])
    })

    it('act once after downtime: a ticket past both pending deadlines is solved without a late reminder', async () => {
      const harness = await start()
      const id = await mondayTicket(harness)
      harness.telegram.sent.length = 0
      await harness.app.helpdesk.setStatus({ deskUserId: AGENT }, id, 'pending')
      await run(harness, 'lifecycle', '2026-11-29T12:00:00Z')
      await run(harness, 'lifecycle', '2026-11-29T12:01:00Z')
      expect((await findTicket(harness.db, id))?.status).toBe('solved')
      expect(harness.telegram.sent).toEqual([])
      expect((await eventsOf(harness.db, id)).filter((e) => e.to_value === 'solved')).toHaveLength(1)
    })

    it('count from when the ticket last went pending', async () => {
      const harness = await start()
      const id = await mondayTicket(harness)
      harness.telegram.sent.length = 0
      const t0 = new Date('2026-11-23T09:00:00Z').getTime()
      const at = (ms: number) => new Date(t0 + ms).toISOString()
      await harness.app.helpdesk.setStatus({ deskUserId: AGENT }, id, 'pending')
      harness.clock.set(new Date(at(DAY)))
      await harness.app.helpdesk.setStatus({ deskUserId: AGENT }, id, 'open')
      harness.clock.set(new Date(at(2 * DAY)))
      await harness.app.helpdesk.setStatus({ deskUserId: AGENT }, id, 'pending')

      // Three days after it first went pending, one after it went again: nothing yet.
      await run(harness, 'lifecycle', at(3 * DAY))
      expect(harness.telegram.sent).toEqual([])
      await run(harness, 'lifecycle', at(5 * DAY))
      expect(harness.telegram.sent.map((s) => String(s.text))).toEqual([
        expect.stringContaining('We are still waiting for your answer on ticket #1'),
      ])
      expect((await findTicket(harness.db, id))?.status).toBe('pending')
    })

    it('leave a ticket alone once the customer answered', async () => {
      const harness = await start()
      const id = await mondayTicket(harness)
      await harness.app.helpdesk.setStatus({ deskUserId: AGENT }, id, 'pending')
      harness.clock.set(new Date('2026-11-24T09:00:00Z'))
      await harness.app.helpdesk.receive(inbound('Here is the photo'))
      await run(harness, 'lifecycle', '2026-12-10T09:00:00Z')
      expect((await findTicket(harness.db, id))?.status).toBe('open')
    })
  })

  describe('weekly report', () => {
    const weekly = (harness: Harness) =>
      harness.slack
        .callsOf('files.completeUploadExternal')
        .filter((c) => c.channel_id === SUPPORT_CHANNEL)
        .map((c) => String(c.initial_comment))

    it('comes once a week at REPORT_WEEKLY local time with its charts, for the seven days before', async () => {
      const harness = await start({ REPORT_WEEKLY: 'mon 09:00' })
      await mondayTicket(harness)
      await run(harness, 'weekly-report', '2026-11-30T07:59:00Z') // Mon 08:59 Berlin
      expect(weekly(harness)).toEqual([])
      await run(harness, 'weekly-report', '2026-11-30T08:00:00Z')
      await run(harness, 'weekly-report', '2026-11-30T15:00:00Z') // later that day: not again
      await run(harness, 'weekly-report', '2026-12-01T08:00:00Z') // nor the next
      const [report] = weekly(harness)
      expect(weekly(harness)).toHaveLength(1)
      expect(report).toContain(
        ':bar_chart: *Support report, Mon 23 Nov – Sun 29 Nov 2026* (2026-11-23..2026-11-29) · the whole desk',
      )
      expect(report).toContain('*Tickets*: 1 created · 0 solved · 0 reopened · 1 still open')
      expect(harness.slack.callsOf('files.getUploadURLExternal').map((c) => c.filename)).toEqual([
        'tickets-per-day-2026-11-23..2026-11-29.png',
        'first-response-2026-11-23..2026-11-29.png',
        'backlog-2026-11-23..2026-11-29.png',
      ])
    })

    it('is off unless REPORT_WEEKLY is set', async () => {
      const harness = await start()
      await mondayTicket(harness)
      await run(harness, 'weekly-report', '2026-11-30T10:00:00Z')
      expect(weekly(harness)).toEqual([])
    })
  })

  describe('daily digest', () => {
    const digests = (harness: Harness) =>
      harness.slack
        .callsOf('chat.postMessage')
        .filter(
          (p) =>
            p.channel === SUPPORT_CHANNEL && p.thread_ts === undefined && String(p.text).includes('digest'),
        )
        .map((p) => String(p.text))

    it('comes each working morning at 08:00 local time, once, also when the bot starts late', async () => {
      const harness = await start()
      await mondayTicket(harness)
      await run(harness, 'digest', '2026-11-24T06:59:00Z') // Tue 07:59 Berlin
      expect(digests(harness)).toEqual([])
      await run(harness, 'digest', '2026-11-24T07:00:00Z')
      await run(harness, 'digest', '2026-11-24T10:00:00Z')
      expect(digests(harness)).toHaveLength(1)
      const [digest] = digests(harness)
      expect(digest).toContain('*Support digest for Tuesday 24 November*')
      expect(digest).toContain('Open tickets: New 0 · Open 1 · Pending 0 · On hold 0')
      // Monday's ticket was not answered within its 4 working hours (10:00–17:00 went by).
      expect(digest).toContain(
        'Yesterday: 1 created · 0 solved · 0 reopened · first response median – · 1 SLA target breached',
      )
      expect(digest).toContain(
        '• #1 · Telegram · Ada Lovelace — waiting since Mon 23 Nov, 10:00 (Europe/Berlin)',
      )

      await run(harness, 'digest', '2026-11-25T13:00:00Z') // Wednesday: the bot was off at 08:00
      expect(digests(harness)).toHaveLength(2)
      await run(harness, 'digest', '2026-11-28T09:00:00Z') // Saturday: no work, no digest
      expect(digests(harness)).toHaveLength(2)
    })

    it('shows a customer name as written: no @channel, no link', async () => {
      const harness = await start()
      harness.clock.set(new Date('2026-11-23T09:00:00Z'))
      const phisher = '<!channel> <https://evil.example|Slack session expired>'
      await harness.app.helpdesk.receive(
        inbound('Hi', { contact: { externalId: '666', displayName: phisher } }),
      )
      await harness.app.outbox.drain()
      await run(harness, 'digest', '2026-11-24T07:00:00Z')
      const [digest] = digests(harness)
      expect(digest).toContain('&lt;!channel&gt; &lt;https://evil.example|Slack session expired&gt;')
      expect(digest).not.toContain('<!channel>')
      expect(digest).not.toContain('<https://')
    })

    it('can be turned off', async () => {
      const harness = await start({ DIGEST_TIME: 'off' })
      await run(harness, 'digest', '2026-11-24T09:00:00Z')
      expect(digests(harness)).toEqual([])
    })
  })

  it('/hours shows the schedule and whether the team is open', async () => {
    const harness = await start()
    harness.clock.set(new Date('2026-11-28T10:00:00Z'))
    const answer = await harness.slash('/hours', '', AGENT)
    expect(answer).toContain('The team is *away*; back Mon 30 Nov, 09:00 (Europe/Berlin).')
    expect(answer).toContain('Mon 09:00–17:00')
    expect(answer).toContain('Holidays: 2026-12-24')
  })

  it("shows the running SLA clock on the ticket's root message", async () => {
    const harness = await start()
    harness.clock.set(new Date('2026-11-23T09:00:00Z'))
    await harness.app.helpdesk.receive(inbound('Hi'))
    await harness.app.outbox.drain()
    const root = harness.slack.callsOf('chat.postMessage').find((p) => p.thread_ts === undefined)
    // Normal priority: 4 working hours from Monday 10:00 Berlin, so due at 14:00 (13:00 UTC).
    expect(JSON.stringify(root?.blocks)).toMatch(
      /First response due <!date\^\d+\^\{date_short_pretty\} \{time\}\|2026-11-23T13:00:00.000Z>/,
    )
  })
})
