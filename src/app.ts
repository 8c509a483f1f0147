import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { createChannels, type Channels } from '../adapters/index.js'
import { createSlackModule } from '../adapters/slack/index.js'
import type { Config } from './config.js'
import { systemClock, iso, type Clock } from './core/clock.js'
import { createHelpDesk } from './core/helpdesk.js'
import type { Logger } from './core/logger.js'
import type { Channel } from './core/model.js'
import { createAccess, type Access } from './core/access.js'
import { createAgents, seedRoles } from './core/agents.js'
import { createBulk } from './core/bulk.js'
import { fetchCustomerInfo } from './core/customer-info.js'
import { createCannedReplies } from './core/canned.js'
import { createBusinessHours } from './core/hours.js'
import type { TicketStatus } from './core/model.js'
import { createOutbox, type OutboxPolicy } from './core/outbox.js'
import { createOutboxState } from './core/outbox-state.js'
import { createOutboxControl } from './core/outbox-report.js'
import { slaSummary, type SlaSettings } from './core/sla.js'
import { createReports, type ReportLimits } from './core/report.js'
import { createHome } from './core/home.js'
import { reportCharts } from './charts/report-charts.js'
import { reportText } from '../adapters/slack/report-text.js'
import { createTicketFields } from './core/ticket-fields.js'
import { createContactActions } from './core/contact-actions.js'
import { createIntakeQuestions } from './core/intake-questions.js'
import { createTicketQueries } from './core/ticket-query.js'
import { createRules } from './core/rules.js'
import { createReplyTemplates } from './core/templates.js'
import type { JobDeps } from './scheduler/jobs/deps.js'
import { createScheduler, JOBS } from './scheduler/index.js'
import type { ChannelAdapter, ChannelHost } from './core/ports.js'
import { defaultTexts } from './core/texts.js'
import { isPostgresUrl, openDatabase, type Db } from './db/connection.js'
import { createElectedLeadership, type ElectedLeadership } from './db/leader.js'
import { soleLeadership } from './core/leadership.js'
import { migrateToLatest } from './db/migrate.js'
import { livenessRoute, readinessRoute, type Check } from './http/health.js'
import { createMetrics } from './http/metrics.js'
import { createHttpServer } from './http/server.js'
import { queueByService } from './db/repos/deliveries.js'
import { DeskError } from './core/errors.js'
import { setTimeout as delay } from 'node:timers/promises'
import { growingDelay } from './core/backoff.js'
import { sweepKeptFiles } from './core/file-retention.js'
import { createApiAdapter } from '../adapters/api/index.js'
import { createWebhookSender } from '../adapters/api/webhook-sender.js'
import { createApiKeys } from './core/api-keys.js'
import { createApiTickets } from './core/api-tickets.js'
import { createWebhooks } from './core/webhooks.js'
import { createApiRoute } from './http/api/router.js'

export interface AppOptions {
  readonly log: Logger
  readonly clock?: Clock
  /** An open database to use instead of DATABASE_URL's. */
  readonly db?: Db
  /** Whether the outbox works in the background (tests drain it by hand). */
  readonly runOutbox?: boolean
  /** Whether the scheduler runs its jobs every minute (tests call them with a chosen time). */
  readonly runScheduler?: boolean
  readonly outboxPolicy?: Partial<OutboxPolicy>
  /** Channels to use instead of those the configuration enables. */
  readonly channels?: Channels
  readonly host?: string
  /** How often a process on PostgreSQL tries to become the leader (and checks it still is), ms. */
  readonly leaderRetryMs?: number
  /** How many tickets a report counts before it follows its answer, and at most (tests make them small). */
  readonly reportLimits?: Partial<ReportLimits>
}

/** How often a replica tries to take the lead, and a leader checks its hold: the longest takeover. */
const LEADER_RETRY_MS = 5_000

export type Threaddesk = Awaited<ReturnType<typeof createThreaddesk>>

/** Assembles the process: config → db → migrate → desk and adapters → http → outbox. */
export async function createThreaddesk(config: Config, options: AppOptions) {
  const { log } = options
  const clock = options.clock ?? systemClock
  const db = options.db ?? openDatabase(config.databaseUrl, log)
  const applied = await migrateToLatest(db)
  if (applied.length > 0) log.info({ migrations: applied }, 'database migrated')
  const now = iso(clock.now())
  await seedRoles(db, config.slack.admins, 'admin', now)
  await seedRoles(db, config.slack.supervisors, 'supervisor', now)

  // Processes sharing a PostgreSQL database elect one to run what must run once; alone, it leads.
  const elected: ElectedLeadership | undefined = isPostgresUrl(config.databaseUrl)
    ? createElectedLeadership(config.databaseUrl, log, options.leaderRetryMs ?? LEADER_RETRY_MS)
    : undefined
  const leadership = elected ?? soleLeadership
  /** This process among those sharing the database: what its outbox claims rows under. */
  const instance = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`

  // Every transaction that queues work wakes the outbox through its state, built before both.
  const outboxState = createOutboxState()
  const { adapters, routes } =
    options.channels ??
    (await createChannels(config.channels, {
      log,
      clock,
      publicUrl: config.publicUrl,
      sendTimeoutMs: config.delivery.sendTimeoutMs,
      leadership,
    }))
  // The API's channel is the process's own: always there, nothing to connect to.
  const apiAdapter = createApiAdapter(clock)
  const channels = new Map<Channel, ChannelAdapter>([
    [apiAdapter.channel, apiAdapter],
    ...adapters.map((a) => [a.channel, a] as const),
  ])
  const traits = new Map(
    adapters.flatMap((a) => (a.traits === undefined ? [] : [[a.channel, a.traits] as const])),
  )
  const hours = createBusinessHours(config.hours)
  const texts = {
    ...defaultTexts,
    ...(config.afterHoursReply !== undefined && { afterHours: config.afterHoursReply }),
  }
  const sla: SlaSettings = {
    policy: config.sla.policy,
    hours,
    warnAt: config.sla.warnAt,
    pausedStatuses: new Set<TicketStatus>(config.sla.pausePending ? ['on_hold', 'pending'] : ['on_hold']),
  }
  let access: Access | undefined
  const deskDeps = {
    db,
    clock,
    texts,
    traits,
    labelOf: config.catalog.labelOf,
    hours,
    lookUpCustomers: config.customerInfo !== undefined,
    replyDelayMs: config.delivery.replyDelayMs,
    fileLimits: config.files.limits,
    ...(config.assignment && { assignment: config.assignment }),
    intake: {
      ...(config.intake.menu && {
        menu: { types: config.ticketTypes, urgency: config.intake.menu.urgency },
      }),
      contactPolicy: config.intake.contactPolicy,
      allowList: config.intake.allowList,
    },
    onQueued: outboxState.kick,
    // Who may work tickets is asked through Slack's directory, which the Slack module opens below.
    mayWork: async (deskUserId: string) => (await access?.check(deskUserId))?.ok === true,
  }
  const helpdesk = createHelpDesk(deskDeps)
  const fields = createTicketFields({ db, clock, types: config.ticketTypes, onQueued: outboxState.kick })
  const work = { db, clock, onQueued: outboxState.kick }
  const canned = createCannedReplies(work)
  const agents = createAgents(work)
  const reports = createReports({ ...work, sla, limits: options.reportLimits })
  const outboxControl = createOutboxControl({ db, clock, state: outboxState })
  const webhookSender = createWebhookSender(config.delivery.sendTimeoutMs)
  const apiKeys = createApiKeys(work)
  const webhooks = createWebhooks({ ...work, sender: webhookSender, onResumed: outboxState.forgetWaits })
  const apiRoute = createApiRoute({
    keys: apiKeys,
    tickets: createApiTickets({ ...deskDeps, types: config.ticketTypes }),
    channels: config.catalog.ids,
    rateLimit: config.api.rateLimit,
    clock,
    log,
  })
  const slack = createSlackModule({
    ...config.slack,
    outbox: outboxControl,
    access: (directory) =>
      (access = createAccess({ db, clock, log, directory, agentGroup: config.slack.agentGroup })),
    sendTimeoutMs: config.delivery.sendTimeoutMs,
    queries: createTicketQueries(db),
    ticketTypes: config.ticketTypes,
    rules: createRules({ ...work, types: config.ticketTypes, channels: config.catalog.ids }),
    templates: createReplyTemplates({ ...work, builtIn: texts }),
    bulk: createBulk({ db, clock, helpdesk, fields, channels: config.catalog.ids }),
    reports,
    home: createHome({ db, clock, sla }),
    channels: config.catalog,
    helpdesk,
    fields,
    contacts: createContactActions(work),
    intakeQuestions: createIntakeQuestions({ ...work, types: config.ticketTypes }),
    canned,
    agents,
    apiKeys,
    webhooks,
    hours,
    log,
    clock,
  })
  const metrics = createMetrics()
  const outbox = createOutbox({
    db,
    clock,
    log,
    desk: slack.desk,
    deskHome: config.slack.supportChannel,
    channels,
    helpdesk,
    slaOf: (ticketId, now) => slaSummary(db, ticketId, now, sla),
    observe: metrics.delivery,
    state: outboxState,
    instance,
    files: { limits: config.files.limits, keepDir: config.files.dir, labelOf: config.catalog.labelOf },
    webhooks: { sender: webhookSender, disableAfterMs: config.api.webhookDisableAfterMs },
    ...(config.customerInfo && {
      customerInfo: (contact) =>
        fetchCustomerInfo(config.customerInfo!.url, contact, config.customerInfo!.timeoutMs),
    }),
    policy: {
      sendTimeoutMs: config.delivery.sendTimeoutMs,
      alertAfterMs: config.delivery.alertAfterMs,
      maxDelayMs: config.delivery.maxBackoffMs,
      undoWindow: config.delivery.replyDelayMs > 0,
      ...options.outboxPolicy,
    },
  })

  let stopping = false
  /** Each customer channel's state: connected, or why not. */
  const channelState = new Map<Channel, Check>(
    adapters.map((a) => [a.channel, { ok: false, detail: 'starting' }]),
  )
  const http = createHttpServer(
    [
      ...slack.routes(),
      ...routes,
      ...adapters.flatMap((a) => a.routes?.() ?? []),
      apiRoute,
      livenessRoute,
      readinessRoute({
        db,
        clock,
        slack: () => slack.reachable(),
        channels: () =>
          Object.fromEntries(
            adapters.map((a) => {
              const started = channelState.get(a.channel) ?? { ok: false }
              return [a.channel, started.ok ? (a.status?.() ?? started) : started]
            }),
          ),
        failing: () => outboxState.failingTargets(),
        stopping: () => stopping,
      }),
      metrics.route(async () => metrics.queue(await queueByService(db, iso(clock.now())))),
    ],
    log,
    metrics.http,
  )
  const jobDeps: JobDeps = {
    db,
    helpdesk,
    sla,
    automations: config.automations,
    log,
    reports: {
      service: reports,
      present: async (report) => ({
        text: reportText(report, config.catalog.labelOf),
        files: await reportCharts(report, config.catalog.labelOf),
      }),
    },
  }
  const scheduler = createScheduler(jobDeps, clock, log, JOBS, leadership)
  let port = 0
  const starting = new AbortController()
  const host: ChannelHost = {
    receive: async (msg) => {
      if (stopping) throw new DeskError('unavailable', 'threaddesk is shutting down; send it again later')
      await helpdesk.receive(msg)
      metrics.inbound(msg.channel)
    },
    deliveryStatus: (update) => helpdesk.deliveryStatus(update),
    notify: (notice) => helpdesk.notify(notice),
  }

  /** Starts one adapter, and keeps trying with growing delays while its platform cannot be reached. */
  async function keepStarting(adapter: ChannelAdapter): Promise<void> {
    for (let attempt = 1; !starting.signal.aborted; attempt++) {
      try {
        await adapter.start(host)
        channelState.set(adapter.channel, { ok: true })
        log.info({ channel: adapter.channel }, 'channel started')
        return
      } catch (error) {
        const delayMs = growingDelay(attempt, 1_000, START_RETRY_MAX_MS)
        const detail = error instanceof Error ? error.message : String(error)
        channelState.set(adapter.channel, { ok: false, detail })
        log.error(
          { channel: adapter.channel, attempt, delayMs, err: error },
          'channel did not start, retrying',
        )
        await delay(delayMs, undefined, { signal: starting.signal }).catch(() => undefined)
      }
    }
  }

  const background: Promise<void>[] = []
  let retention: NodeJS.Timeout | undefined

  /** With ATTACHMENT_DIR: kept bytes past ATTACHMENT_KEEP_DAYS are deleted, at start and every hour. */
  function sweepFiles(): void {
    if (config.files.dir === undefined) return
    sweepKeptFiles({ db, clock, log }, config.files.keepDays).catch((error: unknown) =>
      log.error({ err: error }, 'kept files could not be swept'),
    )
  }

  return {
    db,
    helpdesk,
    fields,
    outbox,
    jobDeps,
    /** App Home's publisher (tests publish what waits for its gap with `publishDue`). */
    home: slack.home,
    get port() {
      return port
    },
    /** Resolves once the work Slack requests left for after their answer is done (tests wait for it). */
    followUps: () => slack.followUps(),
    /** Resolves once every channel has started (tests wait for it; production never needs to). */
    channelsStarted: () => Promise.all(background).then(() => undefined),
    /** Counts an error that reached the process-wide handlers. */
    unhandled: metrics.unhandled,

    /**
     * Every route answers first (a webhook for a channel still starting answers 503, so the
     * platform sends it again); then the Slack desk, each channel, the outbox and the scheduler
     * start side by side, none waiting for another.
     */
    async start(): Promise<void> {
      port = await http.listen(config.port, options.host)
      log.info({ port }, 'http server listening')
      await elected?.start()
      for (const adapter of adapters) background.push(keepStarting(adapter))
      if (options.runOutbox ?? true) outbox.start()
      if (options.runScheduler ?? true) {
        sweepFiles()
        retention = setInterval(sweepFiles, 60 * 60_000).unref()
      }
      if (options.runScheduler ?? true) await scheduler.start()
      // Last: a slow Slack holds back nothing else. A token Slack refuses still stops start-up.
      await slack.start()
    },

    /** Stops intake, lets calls under way finish within the grace period, and closes the database. */
    async stop(graceMs = config.delivery.shutdownTimeoutMs): Promise<void> {
      stopping = true
      clearInterval(retention)
      http.stopIntake()
      starting.abort()
      // A job under way (the catch-up run over a large database) is waited for within the grace period.
      await Promise.race([scheduler.stop(), delay(graceMs, undefined, { ref: false })])
      await outbox.stop(graceMs)
      // A channel still trying to start is given up on, not waited for past the grace period.
      await Promise.race([Promise.allSettled(background), delay(graceMs, undefined, { ref: false })])
      for (const adapter of adapters) {
        await adapter
          .stop()
          .catch((error: unknown) =>
            log.warn({ channel: adapter.channel, err: error }, 'channel did not stop cleanly'),
          )
      }
      await slack.stop()
      await elected?.stop()
      await http.close()
      await db.destroy()
    },
  }
}

const START_RETRY_MAX_MS = 60_000
