import type { DeskAlert } from '../../src/core/delivery.js'
import type { DeskError } from '../../src/core/errors.js'
import type { Leadership } from '../../src/core/leadership.js'
import type { Channel } from '../../src/core/model.js'
import type {
  AgentDesk,
  ChannelAdapter,
  ChannelTraits,
  DeskNotice,
  OutboundMessage,
  ThreadEntry,
  TicketView,
} from '../../src/core/ports.js'

type Outcome = 'ok' | DeskError

/**
 * An AgentDesk that records what it was asked to show; `failNext` scripts failures. Each entry of
 * the thread is a `post` line of its own, with the ts of the post that showed it (entries posted
 * together share one); one post holds at most `postHolds` entries.
 */
export function fakeDesk(opts: { postHolds?: number } = {}) {
  const log: {
    op: 'open' | 'update' | 'post'
    ticket: number
    entry?: ThreadEntry
    ts?: string
    view: TicketView
  }[] = []
  const reactions: { ts: string; reaction: string }[] = []
  const notices: DeskNotice[] = []
  const alerts: DeskAlert[] = []
  const script: Outcome[] = []
  /** Slack channels that never answer a new post. */
  const hung = new Set<string>()
  let ts = 0
  const next = () => {
    const outcome = script.shift() ?? 'ok'
    if (outcome !== 'ok') throw outcome
  }
  const desk: AgentDesk = {
    openThread(view) {
      if (view.deskChannel !== null && hung.has(view.deskChannel)) return new Promise(() => undefined)
      next()
      log.push({ op: 'open', ticket: view.id, view })
      return Promise.resolve({
        channel: 'CSUPPORT',
        ts: `100.${++ts}`,
        showsOpening: view.opening !== undefined,
      })
    },
    updateThread(view) {
      next()
      log.push({ op: 'update', ticket: view.id, view })
      return Promise.resolve()
    },
    postToThread(view, entry) {
      next()
      const postTs = `200.${++ts}`
      log.push({ op: 'post', ticket: view.id, entry, ts: postTs, view })
      return Promise.resolve({ ts: postTs })
    },
    postEntries(view, entries) {
      next()
      const postTs = `200.${++ts}`
      const shown = entries.slice(0, Math.max(1, opts.postHolds ?? entries.length))
      for (const entry of shown) log.push({ op: 'post', ticket: view.id, entry, ts: postTs, view })
      return Promise.resolve({ ts: postTs, count: shown.length })
    },
    react(_thread, postTs, reaction) {
      next()
      reactions.push({ ts: postTs, reaction })
      return Promise.resolve()
    },
    postNotice(notice) {
      next()
      notices.push(notice)
      return Promise.resolve()
    },
    postAlert(alert) {
      next()
      alerts.push(alert)
      return Promise.resolve()
    },
  }
  return {
    desk,
    log,
    reactions,
    notices,
    alerts,
    failNext: (...outcomes: Outcome[]) => script.push(...outcomes),
    hang: (channel: string) => hung.add(channel),
  }
}

/**
 * A ChannelAdapter whose sends are recorded; `failNext` scripts failures, and `hang` makes every
 * send to one recipient wait until `release` (a platform that stopped answering for one chat).
 */
export function fakeChannel(channel: Channel = 'telegram', traits?: ChannelTraits) {
  const sent: OutboundMessage[] = []
  const script: Outcome[] = []
  const hung = new Map<string, (() => void)[]>()
  let calls = 0
  const adapter: ChannelAdapter = {
    channel,
    ...(traits && { traits }),
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    async send(msg) {
      const waiting = hung.get(msg.to)
      if (waiting !== undefined) await new Promise<void>((resolve) => waiting.push(resolve))
      calls++
      const outcome = script.shift() ?? 'ok'
      if (outcome !== 'ok') throw outcome
      sent.push(msg)
      return { externalMessageId: `x${sent.length}` }
    },
  }
  return {
    adapter,
    sent,
    /** How many sends were tried, failed ones included. */
    get calls() {
      return calls
    },
    failNext: (...outcomes: Outcome[]) => script.push(...outcomes),
    hang: (to: string) => hung.set(to, []),
    release(to: string) {
      const waiting = hung.get(to) ?? []
      hung.delete(to)
      for (const resolve of waiting) resolve()
    },
  }
}

/** A leadership the test hands over (`set(true)`) and takes back (`set(false)`). */
export function switchedLeadership(initially = false) {
  const watchers = new Set<(held: boolean) => void>()
  let held = initially
  const leadership: Leadership = {
    held: () => held,
    watch(fn) {
      watchers.add(fn)
      fn(held)
      return () => watchers.delete(fn)
    },
  }
  return {
    leadership,
    set(next: boolean) {
      held = next
      for (const fn of watchers) fn(next)
    },
  }
}
