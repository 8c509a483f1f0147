import { performance } from 'node:perf_hooks'
import type { WebClient } from '@slack/web-api'
import type { Clock } from '../../src/core/clock.js'
import type { Home } from '../../src/core/home.js'
import type { BusinessHours } from '../../src/core/hours.js'
import type { Logger } from '../../src/core/logger.js'
import type { LabelOf } from '../channel-module.js'
import { call } from './errors.js'
import { homeView } from './home-view.js'

/** At most one views.publish per person this often, however fast tickets change. */
export const HOME_GAP_MS = 3_000
/** Whoever has not opened their home tab for this long is no longer kept current. */
const VIEWER_TTL_MS = 24 * 3_600_000

export interface HomePublisher {
  /** Someone opened their home tab (or acted in it): publish it for them. */
  opened(deskUserId: string): Promise<void>
  /** Tickets changed: the home tabs opened lately are published again, each within its gap. */
  changed(): void
  /** Publishes the home tabs whose gap has passed and that wait for it (the timer calls it too). */
  publishDue(): Promise<void>
  stop(): void
}

/**
 * Keeps App Home current without flooding Slack: a person's tab is published at once when its
 * last publish is at least HOME_GAP_MS ago (on the injected clock), else once when the gap ends,
 * however many changes came in between.
 */
export function createHomePublisher(deps: {
  client: WebClient
  home: Home
  clock: Clock
  log: Logger
  labelOf: LabelOf
  hours: BusinessHours
  threadLink: (channel: string, ts: string) => Promise<string>
}): HomePublisher {
  const { clock, log } = deps
  const viewers = new Map<string, number>()
  const last = new Map<string, number>()
  const waiting = new Set<string>()
  let timer: NodeJS.Timeout | undefined

  async function publish(user: string): Promise<void> {
    waiting.delete(user)
    last.set(user, clock.now().getTime())
    try {
      const facts = await deps.home.of(user)
      // Someone who is no agent is shown what the desk is, once: their tab does not follow tickets.
      if (facts.kind === 'stranger') viewers.delete(user)
      const tickets =
        facts.kind === 'agent'
          ? [
              ...facts.mine.tickets,
              ...(facts.team?.unassigned ?? []),
              ...(facts.team?.atRisk ?? []).map((r) => r.ticket),
            ]
          : []
      const links = new Map<number, string>()
      for (const t of tickets)
        if (t.thread !== null) links.set(t.id, await deps.threadLink(t.thread.channel, t.thread.ts))
      const view = homeView(facts, {
        labelOf: deps.labelOf,
        linkOf: (t) => links.get(t.id),
        when: (at) => deps.hours.format(at),
        now: clock.now(),
      })
      await call('views.publish', () => deps.client.views.publish({ user_id: user, view }))
    } catch (error) {
      log.warn({ user, err: error }, 'could not publish a home tab')
    }
  }

  function arm(): void {
    if (timer !== undefined || waiting.size === 0) return
    const now = clock.now().getTime()
    const next = Math.min(...[...waiting].map((u) => (last.get(u) ?? 0) + HOME_GAP_MS))
    timer = setTimeout(
      () => {
        timer = undefined
        void publishDue()
      },
      Math.max(0, next - now),
    ).unref()
  }

  async function soon(user: string): Promise<void> {
    if (clock.now().getTime() - (last.get(user) ?? -Infinity) >= HOME_GAP_MS) return publish(user)
    waiting.add(user)
    arm()
  }

  /**
   * Publishes the waiting tabs whose gap has passed, one at a time, each followed by a pause as long
   * as it took: however many tabs are open, they never take more than half the event loop (a
   * supervisor's tab reads every clock of the desk).
   */
  async function drainDue(): Promise<void> {
    for (;;) {
      const now = clock.now().getTime()
      const user = [...waiting].find((u) => now - (last.get(u) ?? -Infinity) >= HOME_GAP_MS)
      if (user === undefined) return
      const started = performance.now()
      await publish(user)
      if (waiting.size > 0)
        await new Promise((resolve) => setTimeout(resolve, performance.now() - started).unref())
    }
  }

  let draining: Promise<void> | undefined
  function publishDue(): Promise<void> {
    // A pass under way may have looked before the latest changes: another follows it.
    if (draining !== undefined) return draining.then(publishDue)
    draining = drainDue().finally(() => {
      draining = undefined
      arm()
    })
    return draining
  }

  return {
    opened(user) {
      viewers.set(user, clock.now().getTime())
      return soon(user)
    },
    changed() {
      // Queued, never published at once: a burst of changes costs one pass over the open tabs.
      const now = clock.now().getTime()
      for (const [user, at] of viewers) {
        if (now - at > VIEWER_TTL_MS) viewers.delete(user)
        else waiting.add(user)
      }
      arm()
    },
    publishDue,
    stop() {
      clearTimeout(timer)
      timer = undefined
    },
  }
}
