import { createChannels, type Channels } from '../adapters/index.js'
import { createSlackModule } from '../adapters/slack/index.js'
import type { Config } from './config.js'
import { systemClock, iso, type Clock } from './core/clock.js'
import { createHelpDesk } from './core/helpdesk.js'
import type { Logger } from './core/logger.js'
import type { Channel } from './core/model.js'
import { createAgents, grantAtLeast } from './core/agents.js'
import { createBulk } from './core/bulk.js'
import { fetchCustomerInfo } from './core/customer-info.js'
import { createCannedReplies } from './core/canned.js'
import { createBusinessHours } from './core/hours.js'
import type { TicketStatus } from './core/model.js'
import { createOutbox, type OutboxPolicy } from './core/outbox.js'
import { slaSummary, type SlaSettings } from './core/sla.js'
import { createTicketFields } from './core/ticket-fields.js'
import { createTicketQueries } from './core/ticket-query.js'
import { createRules } from './core/rules.js'
import { createReplyTemplates } from './core/templates.js'
import type { JobDeps } from './scheduler/jobs/deps.js'
import { createScheduler } from './scheduler/index.js'
import type { ChannelAdapter, ChannelHost } from './core/ports.js'
import { defaultTexts } from './core/texts.js'
import { openDatabase, type Db } from './db/connection.js'
import { migrateToLatest } from './db/migrate.js'
import { healthRoute } from './http/health.js'
import { createHttpServer } from './http/server.js'

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
}

export type Threaddesk = Awaited<ReturnType<typeof createThreaddesk>>

/** Assembles the process: config → db → migrate → desk and adapters → http → outbox. */
export async function createThreaddesk(config: Config, options: AppOptions) {
  const { log } = options
  const clock = options.clock ?? systemClock
  const db = options.db ?? openDatabase(config.databaseUrl)
  const applied = await migrateToLatest(db)
  if (applied.length > 0) log.info({ migrations: applied }, 'database migrated')
  const now = iso(clock.now())
  await grantAtLeast(db, config.slack.supervisors, 'supervisor', now)
  await grantAtLeast(db, config.slack.admins, 'admin', now)

  // The outbox is created last but woken by every transaction that queues work.
  let kick = (): void => undefined
  const { adapters, routes } = options.channels ?? createChannels(config, log, clock)
  const channels = new Map<Channel, ChannelAdapter>(adapters.map((a) => [a.channel, a]))
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
  const helpdesk = createHelpDesk({
    db,
    clock,
    texts,
    traits,
    hours,
    lookUpCustomers: config.customerInfo !== undefined,
    ...(config.assignment && { assignment: config.assignment }),
    onQueued: () => kick(),
  })
  const fields = createTicketFields({ db, clock, types: config.ticketTypes, onQueued: () => kick() })
  const work = { db, clock, onQueued: () => kick() }
  const canned = createCannedReplies(work)
  const agents = createAgents(work)
  const slack = createSlackModule({
    ...config.slack,
    queries: createTicketQueries(db),
    ticketTypes: config.ticketTypes,
    rules: createRules({ ...work, types: config.ticketTypes }),
    templates: createReplyTemplates({ ...work, builtIn: texts }),
    bulk: createBulk({ db, clock, helpdesk, fields }),
    helpdesk,
    fields,
    canned,
    agents,
    hours,
    log,
    clock,
  })
  const outbox = createOutbox({
    db,
    clock,
    log,
    desk: slack.desk,
    channels,
    helpdesk,
    slaOf: (ticketId, now) => slaSummary(db, ticketId, now, sla),
    ...(config.customerInfo && {
      customerInfo: (contact) =>
        fetchCustomerInfo(config.customerInfo!.url, contact, config.customerInfo!.timeoutMs),
    }),
    ...(options.outboxPolicy && { policy: options.outboxPolicy }),
  })
  kick = () => outbox.kick()

  const http = createHttpServer(
    [
      ...slack.routes(),
      ...routes,
      ...adapters.flatMap((a) => a.routes?.() ?? []),
      healthRoute(db, () => slack.healthy()),
    ],
    log,
  )
  const jobDeps: JobDeps = { db, helpdesk, sla, automations: config.automations, log }
  const scheduler = createScheduler(jobDeps, clock, log)
  let port = 0
  const started: ChannelAdapter[] = []
  const host: ChannelHost = {
    receive: async (msg) => {
      await helpdesk.receive(msg)
    },
    deliveryStatus: (update) => helpdesk.deliveryStatus(update),
    notify: (notice) => helpdesk.notify(notice),
  }

  return {
    db,
    helpdesk,
    fields,
    outbox,
    jobDeps,
    get port() {
      return port
    },

    async start(): Promise<void> {
      await slack.start()
      port = await http.listen(config.port, options.host)
      log.info({ port }, 'http server listening')
      for (const adapter of adapters) {
        await adapter.start(host)
        started.push(adapter)
        log.info({ channel: adapter.channel }, 'channel started')
      }
      if (options.runOutbox ?? true) outbox.start()
      if (options.runScheduler ?? true) await scheduler.start()
    },

    async stop(): Promise<void> {
      await scheduler.stop()
      await outbox.stop()
      for (const adapter of started.reverse()) await adapter.stop()
      await slack.stop()
      await http.close()
      await db.destroy()
    },
  }
}
