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

  async function publishDue(): Promise<void> {
    const now = clock.now().getTime()
    const due = [...waiting].filter((u) => now - (last.get(u) ?? -Infinity) >= HOME_GAP_MS)
    for (const user of due) await publish(user)
    arm()
  }

  return {
    opened(user) {
      viewers.set(user, clock.now().getTime())
      return soon(user)
    },
    changed() {
      const now = clock.now().getTime()
      for (const [user, at] of viewers) {
        if (now - at > VIEWER_TTL_MS) viewers.delete(user)
        else void soon(user)
      }
    },
    publishDue,
    stop() {
      clearTimeout(timer)
      timer = undefined
    },
  }
}
