import { faultsServer } from './database.js'
import type { Scenario, ScenarioContext } from './scenario.js'
import { IN_FLIGHT_WINDOW_MS, KILL_GRACE_MS, tokensIn } from './verdict.js'
import { pause, waitFor } from './wait.js'
import type { World } from './world.js'

/** Replicas on one database, as compose runs them behind nginx. */
const REPLICAS = 3
/**
 * A replica's claim on a delivery lasts 2 × SEND_TIMEOUT_MS and 30 s: short enough here that the
 * rows a killed replica had claimed are taken over within the run.
 */
const REPLICA_ENV = { SEND_TIMEOUT_MS: '3000', OUTBOX_MAX_BACKOFF_MS: '2000' }
const LEASE_MS = 2 * 3_000 + 30_000
/**
 * The most time from the poller's death to another replica's first getUpdates: replicas that do
 * not lead try to every 5 s, and the dead one's lock goes with its connection.
 */
const TAKEOVER_WITHIN_MS = 10_000
/** After the burst: everything must keep arriving; this long without progress means a stall. */
const STALL_MS = 30_000
const HARD_MS = 600_000
/** How long a customer waits for their ticket's thread: the roots of a burst are paced at Slack's rate. */
const THREAD_WITHIN_MS = 300_000

const skipOnSqlite = (name: string) => ({
  skipped: `needs PostgreSQL: replicas share one database server (scripts/with-postgres.sh npm run test:faults -- ${name})`,
})

interface Burst {
  readonly customers: number
  /** Messages each customer writes, and replies their agent writes. */
  readonly each: number
}

/** Customer messages and agent replies acknowledged so far (by a webhook's 2xx, a confirmed offset, Slack's 2xx). */
function acknowledged(world: World): { messages: number; replies: number } {
  let messages = 0
  let replies = 0
  for (const c of world.customers) {
    messages += c.messages.filter((m) => m.ackedAt !== undefined).length
    replies += c.replies.filter((r) => r.ackedAt !== undefined).length
  }
  return { messages, replies }
}

/**
 * The burst: every customer writes `each` messages at once (webhook: one after another as Telegram
 * delivers them; polling: queued in Telegram); once their ticket's thread is there the agent answers
 * `each` times, a little apart. Gaps come from the seed.
 */
async function burst(world: World, ctx: ScenarioContext, size: Burst): Promise<void> {
  const customers = Array.from({ length: size.customers }, (_, i) => world.customer(i + 1))
  const gaps = customers.map(() => Array.from({ length: size.each }, () => ctx.random.int(20, 400)))
  await Promise.all(
    customers.map(async (c, i) => {
      for (let k = 0; k < size.each; k++) world.say(c)
      await waitFor(`the thread of customer ${c.index}`, () => world.threadOf(c), THREAD_WITHIN_MS)
      for (const gap of gaps[i] ?? []) {
        await pause(gap)
        await world.reply(c)
      }
    }),
  )
  await world.delivered()
}

/** The kill comes once this many replies were acknowledged: somewhere in the middle of the burst. */
function killPoint(ctx: ScenarioContext, size: Burst): number {
  const replies = size.customers * size.each
  return ctx.random.int(Math.round(replies * 0.3), Math.round(replies * 0.7))
}

/** What reached the platforms, by the bot that made it: `#1 812 posts, 640 sends`. */
function byBot(world: World): string {
  return world.incarnations
    .map((bot) => {
      const posts = world.slack.answered.filter((a) => a.method === 'chat.postMessage' && a.by === bot.tag)
      const sends = world.telegram.deliveries.filter((d) => d.by === bot.tag)
      return `#${bot.incarnation} ${posts.length} posts, ${sends.length} sends`
    })
    .join('; ')
}

/**
 * The bound on doubles at a kill, said in figures: what the killed bot had the platforms accept in
 * its last IN_FLIGHT_WINDOW_MS (only those can be sent again), and how many of them were.
 */
function inFlightAtKill(world: World, killedAt: number, tag: string): number {
  const from = killedAt - IN_FLIGHT_WINDOW_MS
  const to = killedAt + KILL_GRACE_MS
  const posts = world.slack.answered.filter(
    (a) => a.method === 'chat.postMessage' && a.by === tag && a.at >= from && a.at <= to,
  )
  const sends = world.telegram.deliveries.filter((d) => d.by === tag && d.at >= from && d.at <= to)
  return posts.length + sends.length
}

/**
 * How long the customers with a reply waiting at the kill waited for it: a reply the killed bot had
 * claimed waits for its lease to run out, and every chat's replies go at most one a second. The
 * longest wait, and over how many chats.
 */
function waitsAfterKill(world: World, killedAt: number): { chats: number; longestMs: number } {
  let chats = 0
  let longestMs = 0
  for (const c of world.customers) {
    const sends = world.telegram.deliveries.filter((d) => d.chatId === c.chatId)
    const sentBy = (token: string, at: number) =>
      sends.some((d) => d.at <= at && tokensIn(d.text).includes(token))
    const waiting = c.replies.filter(
      (r) => r.ackedAt !== undefined && r.ackedAt <= killedAt && !sentBy(r.token, killedAt),
    )
    const first = waiting[0]
    // One that never came is counted as lost by the verdict.
    const arrived = first && sends.find((d) => d.at > killedAt && tokensIn(d.text).includes(first.token))
    if (arrived === undefined) continue
    chats++
    longestMs = Math.max(longestMs, arrived.at - killedAt)
  }
  return { chats, longestMs }
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

/** A last exchange after everything settled and the killed replica is back: life goes on, through every replica. */
async function epilogue(world: World, count: number): Promise<void> {
  const some = world.customers.slice(0, count)
  for (const c of some) world.say(c)
  for (const c of some) await world.reply(c)
  await world.delivered()
}

/**
 * 2,000 each way over 100 tickets. Every ticket costs Slack about three posts (its root, the
 * automatic reply, its customer's messages together), and each replica posts about one a second
 * to a channel, as Slack asks: 200 tickets would make this scenario twice as long.
 */
const WEBHOOK_BURST: Burst = { customers: 100, each: 20 }

export const replicas: Scenario = {
  name: 'replicas',
  about: `PostgreSQL: ${REPLICAS} replicas behind a balancer, Telegram by webhook; ${WEBHOOK_BURST.customers * WEBHOOK_BURST.each} customer messages and as many replies; one replica SIGKILLed mid-burst`,
  async run(ctx) {
    if (faultsServer === undefined) return skipOnSqlite('replicas')
    const { open, random, info } = ctx
    const world = await open({ telegram: 'webhook', replicas: REPLICAS, env: REPLICA_ENV })
    const victim = random.int(0, REPLICAS - 1)
    const killAfter = killPoint(ctx, WEBHOOK_BURST)
    const started = Date.now()

    let killedAt = 0
    const killer = (async () => {
      await waitFor('the kill point', () => acknowledged(world).replies >= killAfter, HARD_MS)
      const missingAtKill = world.missing()
      const bot = world.botOf(victim)
      await world.killReplica(victim)
      killedAt = world.kills.at(-1)?.at ?? Date.now()
      info(
        `SIGKILL #${bot.incarnation} (replica ${victim}) after ${killAfter} replies were acknowledged, ${secs(killedAt - started)} into the burst, with ${missingAtKill} messages and replies on their way`,
      )
    })()
    await burst(world, ctx, WEBHOOK_BURST)
    await killer
    const left = await world.settle(STALL_MS, HARD_MS)
    const doneAt = Date.now()
    const killedTag = world.botOf(victim).tag
    const { messages, replies } = acknowledged(world)
    const total = WEBHOOK_BURST.customers * WEBHOOK_BURST.each
    const waits = waitsAfterKill(world, killedAt)
    info(
      `acknowledged: ${messages} of ${total} messages, ${replies} of ${total} replies; everything there ${secs(doneAt - started)} after the first message${left > 0 ? ` (${left} still missing)` : ''}`,
    )
    info(
      `${waits.chats} customers had a reply waiting at the kill; the longest waited ${secs(waits.longestMs)} after it (a claim's lease: ${secs(LEASE_MS)})`,
    )
    info(
      `in flight at the kill (the killed bot's posts and sends the platforms accepted in its last ${IN_FLIGHT_WINDOW_MS / 1000} s, the most that may come twice): ${inFlightAtKill(world, killedAt, killedTag)}; came twice: ${world.verdict().inFlightDoubles.length}`,
    )
    const { forwarded, passedOn } = world.front.stats()
    info(
      `balancer: ${forwarded} requests, ${passedOn} passed on to another replica after a refused connection`,
    )

    // Late, the killed replica comes back: it must send nothing again, and work like the others.
    await world.startReplica(victim)
    await epilogue(world, 20)
    await world.settle(STALL_MS, 60_000)
    await world.slackQuiet(2_000, 60_000)
    info(`by bot: ${byBot(world)}`)
  },
}

const POLLING_BURST: Burst = { customers: 30, each: 10 }

/** The bot whose getUpdates came last: the one polling now. */
const poller = (world: World): string | undefined =>
  world.telegram.calls.findLast((c) => c.method === 'getUpdates')?.by

export const replicasPolling: Scenario = {
  name: 'replicas-polling',
  about: `PostgreSQL: ${REPLICAS} replicas, Telegram by long polling: only the elected one polls; it is SIGKILLed mid-burst and another takes over`,
  async run(ctx) {
    if (faultsServer === undefined) return skipOnSqlite('replicas-polling')
    const { open, info, fail } = ctx
    const world = await open({ telegram: 'polling', replicas: REPLICAS, env: REPLICA_ENV })
    const started = Date.now()
    await waitFor('a replica to poll Telegram', () => poller(world), 20_000)
    const killAfter = killPoint(ctx, POLLING_BURST)

    let killedAt = 0
    let killedTag = ''
    const killer = (async () => {
      await waitFor('the kill point', () => acknowledged(world).replies >= killAfter, HARD_MS)
      const tag = poller(world)
      const victim = world.replicas.findIndex((r) => r.bots.at(-1)?.tag === tag)
      if (victim < 0) throw new Error(`no replica runs the poller ${tag}`)
      const pollersBefore = new Set(
        world.telegram.calls.filter((c) => c.method === 'getUpdates').map((c) => c.by),
      )
      if (pollersBefore.size > 1)
        fail(`${pollersBefore.size} bots polled before the kill: ${[...pollersBefore].join(', ')}`)
      await world.killReplica(victim)
      killedAt = world.kills.at(-1)?.at ?? Date.now()
      killedTag = world.botOf(victim).tag
      info(
        `SIGKILL the poller #${world.botOf(victim).incarnation} (replica ${victim}) after ${killAfter} replies were acknowledged`,
      )
    })()
    await burst(world, ctx, POLLING_BURST)
    await killer

    const next = await waitFor(
      'another replica to poll',
      () =>
        world.telegram.calls.find((c) => c.method === 'getUpdates' && c.at > killedAt && c.by !== killedTag),
      HARD_MS,
    ).catch(() => undefined)
    const takeover = next === undefined ? undefined : next.at - killedAt
    if (takeover === undefined) fail('no replica polled Telegram after the poller was killed')
    else if (takeover > TAKEOVER_WITHIN_MS)
      fail(
        `another replica polled ${secs(takeover)} after the poller was killed (at most ${secs(TAKEOVER_WITHIN_MS)})`,
      )
    const left = await world.settle(STALL_MS, HARD_MS)
    const { messages, replies } = acknowledged(world)
    const total = POLLING_BURST.customers * POLLING_BURST.each
    info(
      `acknowledged: ${messages} of ${total} messages (offsets confirmed), ${replies} of ${total} replies; everything there ${secs(Date.now() - started)} after the start${left > 0 ? ` (${left} still missing)` : ''}`,
    )
    info(
      `takeover: another replica polled ${takeover === undefined ? 'never' : secs(takeover)} after the kill (at most ${secs(TAKEOVER_WITHIN_MS)})`,
    )

    // Late, the killed replica comes back: it must not poll beside the leader.
    await world.startReplica(world.replicas.findIndex((r) => r.bots.some((b) => b.tag === killedTag)))
    await epilogue(world, 10)
    await world.settle(STALL_MS, 60_000)
    await world.slackQuiet(2_000, 60_000)
    const pollers = [
      ...new Set(world.telegram.calls.filter((c) => c.method === 'getUpdates').map((c) => c.by)),
    ]
    const conflicts = world.telegram.conflicts.length
    info(
      `getUpdates by ${pollers.join(', ')}; ${conflicts} overlapped (409 Conflict); by bot: ${byBot(world)}`,
    )
    if (conflicts > 0)
      fail(
        `${conflicts} getUpdates overlapped another poller's (409 Conflict), e.g. ${world.telegram.conflicts
          .slice(0, 3)
          .map((c) => `${c.by ?? '?'} ended ${c.ended ?? '?'}`)
          .join(', ')}`,
      )
  },
}
