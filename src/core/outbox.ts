import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  claimDelivery,
  dueHeads,
  endDelivery,
  finishDelivery,
  nextDueAt,
  putOff,
  reschedule,
  enqueueDelivery,
  type DueHead,
} from '../db/repos/deliveries.js'
import { forgetNoticeFiles } from '../db/repos/notice-files.js'
import { clearDeskChannel, findTicketDetail, type TicketDetail } from '../db/repos/tickets.js'
import type { Delivery } from '../db/schema.js'
import { iso } from './clock.js'
import type { DeliveryPayload, DeskAlert } from './delivery.js'
import { isDeskError } from './errors.js'
import type { Intake } from './intake.js'
import type { Logger } from './logger.js'
import { createPacer } from './pacer.js'
import { createCalls, type Bookkeeping, type CallDeps } from './outbox-calls.js'
import { createRouter, type Route, type RouteTicket } from './outbox-routes.js'
import { createOutboxState, type OutboxState } from './outbox-state.js'
import { growingDelay } from './backoff.js'

export interface OutboxPolicy {
  /** Delay before the first retry; doubles with every attempt. */
  readonly baseDelayMs: number
  /** The longest wait between two tries of a failing delivery (OUTBOX_MAX_BACKOFF_MS). */
  readonly maxDelayMs: number
  /** How many deliveries may be under way at once, each to a different target. */
  readonly concurrency: number
  /** How often the worker looks for due rows when nothing woke it. */
  readonly pollMs: number
  /** How long one platform call may take before it counts as failed (SEND_TIMEOUT_MS). */
  readonly sendTimeoutMs: number
  /** How long a target may keep failing before the support channel is told (OUTBOX_ALERT_AFTER). */
  readonly alertAfterMs: number
  /** Whether sends are paced by the platforms' rate limits (tests that do not move the clock turn it off). */
  readonly paced: boolean
  /** Whether replies typed in a thread wait out an undo window (marked ⏳, turned ✅ once sent). */
  readonly undoWindow: boolean
}

/** The shortest wait a platform's "retry after" gets: one of 0 or less would be a busy loop. */
const MIN_PLATFORM_WAIT_MS = 1_000

/**
 * How long to wait when a platform asks: as asked, but at least a second, and at most the longest
 * backoff (a wait of years would stop a target without a word; asking again costs one refused call).
 */
function platformWait(askedMs: number, policy: OutboxPolicy): number {
  if (!Number.isFinite(askedMs)) return policy.baseDelayMs
  return Math.min(Math.max(askedMs, MIN_PLATFORM_WAIT_MS), Math.max(policy.maxDelayMs, MIN_PLATFORM_WAIT_MS))
}

export const defaultOutboxPolicy: OutboxPolicy = {
  baseDelayMs: 2_000,
  maxDelayMs: 10 * 60_000,
  concurrency: 32,
  pollMs: 1_000,
  sendTimeoutMs: 30_000,
  alertAfterMs: 15 * 60_000,
  paced: true,
  undoWindow: false,
}

/** The calls' own needs (database, clock, desk, channels, customer info, SLA line), and the worker's. */
export interface OutboxDeps extends Omit<CallDeps, 'policy'> {
  readonly log: Logger
  /** The desk's home (the support channel): where tickets go unless a rule chose another. */
  readonly deskHome: string
  /** Where a delivery refused for good is said: the intake records it in the ticket's thread. */
  readonly helpdesk: Pick<Intake, 'reportUndelivered'>
  readonly policy?: Partial<OutboxPolicy>
  /** What it knows in memory, shared with its readers (/outbox, readiness); its own when absent. */
  readonly state?: OutboxState
  /** Told of every outcome, for metrics. */
  readonly observe?: (outcome: DeliveryOutcome) => void
  /**
   * This process's name among the processes sharing the database: the rows it works are claimed
   * under it. Unique per process; a random one when absent.
   */
  readonly instance?: string
}

export interface DeliveryOutcome {
  readonly kind: DeliveryPayload['type']
  /** `slack`, or the customer channel the row was bound for. */
  readonly service: string
  readonly result: 'sent' | 'retried' | 'waited' | 'failed'
}

export type Outbox = ReturnType<typeof createOutbox>

/** The least time between two passes over the queue, ms. */
const MIN_PASS_GAP_MS = 10

/** What a claim's lease allows beyond the calls themselves: the bookkeeping, on a busy database. */
const LEASE_MARGIN_MS = 30_000

/** How many due heads one pass reads at most, looking past those that must wait. */
const MAX_ROWS_PER_PASS = 6_400

/**
 * A page of due heads: what the free workers could take, twice over, in a power of two (each size
 * is a statement of its own). Reading a head costs 5 µs, and most of those read can go.
 */
const pageFor = (free: number): number => Math.max(16, 2 ** Math.ceil(Math.log2(free * 2)))

/** What routing needs of a due head's ticket, read with the head itself. */
function routeTicket(row: DueHead): RouteTicket | undefined {
  if (row.ticket_channel === null || row.contact_external_id === null) return undefined
  return {
    channel: row.ticket_channel,
    contact_external_id: row.contact_external_id,
    thread_channel: row.thread_channel,
    desk_channel: row.desk_channel,
  }
}

/** A due row put off until a later moment (ISO), written once its page is looked through. */
interface Wait {
  readonly id: number
  readonly at: string
}

/** A failure the worker has already turned into its consequence. */
type Verdict = 'wait' | 'retry' | 'fail'

/** Channel errors that say the routed Slack channel cannot take the ticket at all. */
const ROUTE_REFUSED = new Set(['not_found', 'forbidden'])

/**
 * The durable outbox. Every (ticket, lane) is an independent queue worked oldest first; only the
 * head of each is ever read. Calls to different targets run side by side, each with a timeout, so a
 * slow or failing platform holds back only the rows bound for it. Sends are paced per target as
 * each platform allows; a 429 is a wait, never a failed attempt. Transient failures are retried for
 * as long as it takes (the support channel hears when a target keeps failing, and when it is back);
 * only a permanent refusal ends a delivery, and it is said in the ticket's thread. Delivery is at
 * least once: a crash between a send and its bookkeeping sends that one row (or part) again.
 */
export function createOutbox(deps: OutboxDeps) {
  const { db, clock, log, helpdesk } = deps
  const state = deps.state ?? createOutboxState()
  const policy = { ...defaultOutboxPolicy, ...deps.policy }
  const serviceShare = Math.max(1, Math.ceil((policy.concurrency * 3) / 4))
  const pacer = createPacer()
  /** Rows being worked now, and the targets they talk to. */
  const inFlight = new Set<number>()
  /** Rows whose work ended since the page being worked was read: that page still shows them queued. */
  const endedSincePage = new Set<number>()
  const busyTargets = new Set<string>()
  const busyServices = new Map<string, number>()
  const { pausedUntil, held, failing } = state
  /** Rows whose call went out and whose record failed, with what the call left to record. */
  const unrecorded = new Map<number, { readonly bookkeeping: Bookkeeping | undefined }>()
  const instance = deps.instance ?? `outbox-${randomUUID()}`
  /**
   * How long a claim on a row lasts: a call ends within the send timeout, and its bookkeeping
   * after it, which on a busy database (every writer waits for the write lock) can take seconds.
   * A process that dies with rows claimed leaves them to the others after this.
   */
  const leaseMs = 2 * policy.sendTimeoutMs + LEASE_MARGIN_MS
  let running = false
  let loopDone: Promise<void> | undefined
  const tasks = new Set<Promise<void>>()

  const now = (): number => clock.now().getTime()
  const routeOf = createRouter(deps)
  const { perform } = createCalls({ ...deps, policy })

  function backoffMs(attempt: number): number {
    return growingDelay(attempt, policy.baseDelayMs, policy.maxDelayMs)
  }

  async function alert(fact: DeskAlert): Promise<void> {
    await enqueueDelivery(db, null, { type: 'desk.alert', alert: fact }, iso(clock.now()))
    state.kick()
  }

  /** A target answered: if the support channel was told it was failing, tell it that it is back. */
  async function recovered(route: Route): Promise<void> {
    const state = failing.get(route.target)
    if (state === undefined) return
    failing.delete(route.target)
    if (!state.alerted) return
    log.info({ target: route.target }, 'deliveries go through again')
    await alert({ kind: 'deliveries_recovered', target: route.target })
  }

  /** A target failed again (since `since`): past OUTBOX_ALERT_AFTER, the support channel is told once. */
  async function stillFailing(route: Route, since: number, at: number, reason: string, error: unknown) {
    const state = failing.get(route.target) ?? { since, alerted: false, reason }
    state.since = Math.min(state.since, since)
    state.reason = reason
    failing.set(route.target, state)
    if (!state.alerted && at - state.since >= policy.alertAfterMs) {
      state.alerted = true
      const minutes = Math.round((at - state.since) / 60_000)
      log.error({ target: route.target, minutes, err: error }, 'deliveries keep failing')
      await alert({ kind: 'deliveries_failing', target: route.target, minutes, reason })
    }
  }

  /** Decides what a failure means for the row, and records it. */
  async function handleFailure(
    row: Delivery,
    payload: DeliveryPayload,
    ticket: TicketDetail | undefined,
    route: Route,
    error: unknown,
  ): Promise<Verdict> {
    const e = isDeskError(error) ? error : undefined
    const reason = e?.message ?? (error instanceof Error ? error.message : String(error))
    const at = now()
    const context = {
      delivery: row.id,
      kind: row.kind,
      ticket: row.ticket_id,
      target: route.target,
      attempt: row.attempts + 1,
    }

    if (e?.retryAfterMs !== undefined) {
      // The platform asked us to wait: every row bound for that target waits, and nobody loses a try.
      const waitMs = platformWait(e.retryAfterMs, policy)
      pausedUntil.set(route.target, at + waitMs)
      // The target's bucket is empty: after the wait, one post at a time at its rate, not a burst.
      for (const [key, rate] of route.limits) if (key === route.target) pacer.refused(key, rate, at + waitMs)
      await reschedule(db, row.id, {
        error: reason,
        nextAttemptAt: iso(new Date(at + waitMs)),
        release: true,
      })
      log.warn({ ...context, waitMs, askedMs: e.retryAfterMs }, 'delivery rate limited, waiting')
      // A platform that keeps asking to wait takes nothing: the support channel hears of it as of any
      // failure. (A paused webhook endpoint waits too; admins were told when it was paused.)
      if (e.code === 'rate_limited') await stillFailing(route, at, at, reason, error)
      return 'wait'
    }

    if (
      payload.type === 'desk.open' &&
      ticket?.desk_channel != null &&
      e !== undefined &&
      !e.retryable &&
      ROUTE_REFUSED.has(e.code)
    ) {
      // The channel a rule chose cannot take the ticket: show it in the support channel instead.
      await clearDeskChannel(db, ticket.id)
      await reschedule(db, row.id, { error: reason, nextAttemptAt: iso(new Date(at)), release: true })
      await alert({ kind: 'ticket_rerouted', ticketId: ticket.id, reason })
      log.warn(context, 'routed channel refused a ticket, posting it in the support channel')
      return 'retry'
    }

    // Errors that are not ours are unexpected (a network fault, a bug): time may fix them.
    if (e === undefined || e.retryable) {
      const since = row.failing_since === null ? at : new Date(row.failing_since).getTime()
      const { attempt } = context
      const delay = backoffMs(attempt)
      await reschedule(db, row.id, {
        error: reason,
        nextAttemptAt: iso(new Date(at + delay)),
        attempt: true,
        failingSince: iso(new Date(since)),
        release: true,
      })
      log.warn({ ...context, delayMs: delay, err: error }, 'delivery failed, will retry')
      await stillFailing(route, since, at, reason, error)
      return 'retry'
    }

    await finishDelivery(db, row, { status: 'failed', error: reason }, iso(new Date(at)))
    if (payload.type === 'desk.notice') await forgetNoticeFiles(db, payload.fileIds ?? [])
    log.error({ ...context, err: error }, 'delivery failed for good')
    if (row.ticket_id !== null && row.lane === 'customer') {
      const what = payload.type === 'customer.message' ? 'message' : 'direct'
      await helpdesk.reportUndelivered(row.ticket_id, { kind: 'undelivered', what, reportedBy: null, reason })
    } else if (payload.type === 'desk.notice' && payload.to !== undefined) {
      // A notice for someone else (a report's charts and CSV) is not dropped silently: the support
      // channel hears of it, as the asker's own conversation could not be reached.
      await alert({
        kind: 'not_shown',
        ticketId: null,
        reason: `what was to be posted to ${payload.to}: ${reason}`,
      })
    } else if (payload.type !== 'desk.notice' && payload.type !== 'desk.alert') {
      await alert({ kind: 'not_shown', ticketId: row.ticket_id, reason })
    }
    return 'fail'
  }

  /** Works one row to its outcome. Bookkeeping failures propagate: the caller holds the row back. */
  async function deliver(row: Delivery, payload: DeliveryPayload, route: Route) {
    const service = route.service
    // A row whose call went out but whose record failed (the database) is only recorded this time.
    const kept = unrecorded.get(row.id)
    let bookkeeping = kept?.bookkeeping
    if (kept === undefined) {
      const ticket = row.ticket_id === null ? undefined : await findTicketDetail(db, row.ticket_id)
      try {
        bookkeeping = await perform(row, payload, ticket)
      } catch (error) {
        const verdict = await handleFailure(row, payload, ticket, route, error)
        deps.observe?.({
          kind: payload.type,
          service,
          result: verdict === 'wait' ? 'waited' : verdict === 'retry' ? 'retried' : 'failed',
        })
        return
      }
    }
    // What the call left to record and the end of its row are one step: a crash before it works the
    // row again (and posts again what its post showed), never loses a part of it.
    const at = iso(clock.now())
    try {
      await db.transaction().execute(async (tx) => {
        await bookkeeping?.(tx, at)
        await endDelivery(tx, row, { status: 'sent' }, at)
      })
    } catch (error) {
      unrecorded.set(row.id, { bookkeeping })
      throw error
    }
    unrecorded.delete(row.id)
    deps.observe?.({ kind: payload.type, service, result: 'sent' })
    log.debug({ delivery: row.id, kind: row.kind, ticket: row.ticket_id }, 'delivered')
    await recovered(route)
  }

  /**
   * Why a due row cannot start now: the moment it may, `busy` when its target is (it is looked at
   * again next pass), or 0 when it can go. Pacing comes before `busy`, so a crowd of rows for one
   * target (every ticket's root in the support channel) is given its moments once and rests in
   * the queue until then (`waits` collects them for `putOff`), instead of being read again on
   * every pass.
   */
  function blockedUntil(row: Delivery, route: Route, waits: Wait[]): number | 'busy' {
    const t = now()
    const hold = held.get(row.id)
    if (hold !== undefined && hold.until > t) return hold.until
    const paused = pausedUntil.get(route.target)
    const slot =
      paused !== undefined && paused > t
        ? paused
        : policy.paced
          ? pacer.reserve(row.id, route.limits, t, route.notBefore)
          : 0
    if (slot > t) {
      waits.push({ id: row.id, at: iso(new Date(slot)) })
      return slot
    }
    if (busyTargets.has(route.target)) return 'busy'
    if ((busyServices.get(route.service) ?? 0) >= serviceShare) return 'busy'
    return 0
  }

  function launch(row: Delivery, payload: DeliveryPayload, route: Route) {
    pacer.release(row.id)
    inFlight.add(row.id)
    busyTargets.add(route.target)
    busyServices.set(route.service, (busyServices.get(route.service) ?? 0) + 1)
    const task = deliver(row, payload, route)
      .then(() => {
        held.delete(row.id)
      })
      .catch((error: unknown) => {
        // The work may have been done; the record of it was not. Try again later, not at once.
        const failures = (held.get(row.id)?.failures ?? 0) + 1
        held.set(row.id, { until: now() + backoffMs(failures), failures })
        log.error({ delivery: row.id, err: error }, 'outbox bookkeeping failed, holding the row back')
      })
      .finally(() => {
        inFlight.delete(row.id)
        endedSincePage.add(row.id)
        busyTargets.delete(route.target)
        busyServices.set(route.service, (busyServices.get(route.service) ?? 1) - 1)
        tasks.delete(task)
        state.kick()
      })
    tasks.add(task)
    return task
  }

  /**
   * Starts every due head that may go now, up to the concurrency. Returns what it started and the
   * earliest moment a head it had to leave may go.
   */
  async function fill(): Promise<{ started: Promise<void>[]; nextAt: number | undefined }> {
    const started: Promise<void>[] = []
    let nextAt: number | undefined
    const dueBy = iso(clock.now())
    let after: { at: string; id: number } | undefined
    // Page on past heads that must wait (their target is busy), so they never hide the others.
    for (let read = 0; read < MAX_ROWS_PER_PASS && inFlight.size < policy.concurrency;) {
      endedSincePage.clear()
      const page = pageFor(policy.concurrency - inFlight.size)
      // A service with all the workers it may have would only have its rows read to be skipped.
      const full = [...busyServices].filter(([, busy]) => busy >= serviceShare).map(([service]) => service)
      const rows = await dueHeads(db, dueBy, { limit: page, after, skipServices: full })
      read += rows.length
      const waits: Wait[] = []
      for (const row of rows) {
        if (inFlight.size >= policy.concurrency) break
        // A row that went and ended while this pass awaited (a reschedule) is done: never again.
        if (inFlight.has(row.id) || endedSincePage.has(row.id)) continue
        const payload = JSON.parse(row.payload) as DeliveryPayload
        const route = routeOf(row, payload, routeTicket(row))
        const blocked = blockedUntil(row, route, waits)
        if (blocked === 'busy') continue
        if (blocked > 0) {
          nextAt = Math.min(nextAt ?? blocked, blocked)
          continue
        }
        // Another process sharing the database may be taking the same row: only one gets it.
        const t = now()
        const claim = { owner: instance, now: iso(new Date(t)), until: iso(new Date(t + leaseMs)) }
        if (!(await claimDelivery(db, row.id, claim))) {
          pacer.release(row.id)
          continue
        }
        started.push(launch(row, payload, route))
      }
      // In one transaction: a commit for each row put off cost 60 µs apiece under load.
      await putOff(db, waits)
      const last = rows.at(-1)
      if (rows.length < page || last === undefined) break
      after = { at: last.next_attempt_at, id: last.id }
    }
    return { started, nextAt }
  }

  /** Starts what is due and waits for it; returns how many rows it worked (tests drive the outbox with it). */
  async function tick(): Promise<number> {
    const { started } = await fill()
    await Promise.all(started)
    return started.length
  }

  async function loop(): Promise<void> {
    let lastPass = -Infinity
    while (running) {
      // Kicks come with every commit: under load, passes are spaced so a burst of them costs one.
      const gap = performance.now() - lastPass
      if (gap < MIN_PASS_GAP_MS) await sleep(MIN_PASS_GAP_MS - gap)
      lastPass = performance.now()
      let waitMs = policy.pollMs
      try {
        const { started, nextAt } = await fill()
        if (started.length > 0 && inFlight.size < policy.concurrency) continue
        const next = await nextDueAt(db)
        const t = now()
        if (next !== undefined) waitMs = Math.min(waitMs, new Date(next).getTime() - t)
        if (nextAt !== undefined) waitMs = Math.min(waitMs, nextAt - t)
        if (inFlight.size >= policy.concurrency) waitMs = policy.pollMs
      } catch (error) {
        log.error({ err: error }, 'outbox could not read its queue')
      }
      if (running) await state.sleep(waitMs)
    }
  }

  return {
    tick,
    /** Delivers until nothing more is due now (rows waiting for a later retry stay queued). */
    async drain(): Promise<void> {
      while ((await tick()) > 0) {
        /* keep going: each delivered head uncovers the next row of its lane */
      }
    },
    /** Wakes the worker: something was just queued. */
    kick: state.kick,
    start(): void {
      if (running) return
      running = true
      loopDone = loop()
    },
    /** Stops taking rows and waits up to `graceMs` for the calls under way. */
    async stop(graceMs = policy.sendTimeoutMs): Promise<void> {
      running = false
      state.kick()
      await loopDone
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.allSettled([...tasks]),
        new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
      ])
      clearTimeout(timer)
    },
  }
}
