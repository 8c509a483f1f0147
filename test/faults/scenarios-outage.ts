import type { SlackCall } from '../fakes/slack-api.js'
import type { Scenario } from './scenario.js'
import { pause, waitFor } from './wait.js'
import type { World } from './world.js'

/** Replies to customers do not go through Slack: they must reach Telegram this fast whatever Slack does. */
const PROMPT_MS = 5_000

/** The most times one and the same call was made since `from`: how often the bot retried one row. */
function mostRetries(calls: readonly SlackCall[], method: string, from: number): number {
  const counts = new Map<string, number>()
  for (const c of calls.filter((c) => c.method === method && c.at >= from)) {
    const key = JSON.stringify([c.args.thread_ts, c.args.text])
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return Math.max(0, ...counts.values())
}

/** After the fault: a restart (SIGTERM, then start) must neither lose what is queued nor send it again. */
async function restartAndSettle(world: World): Promise<void> {
  await world.restart()
  await world.settle(8_000, 30_000)
}

export const slackDown: Scenario = {
  name: 'slack-down',
  about:
    'Slack answers 500, then refuses connections, for more than 12 attempts at a post; then it is back and everything arrives',
  async run({ open, info }) {
    const world = await open({ env: { OUTBOX_MAX_BACKOFF_MS: '200', OUTBOX_ALERT_AFTER: '2s' } })
    const customers = await world.openTickets([1, 2, 3])
    const [first, ...others] = customers
    if (first === undefined) throw new Error('no tickets')
    world.promptMs = PROMPT_MS
    for (const c of customers) c.prompt = true

    await world.slackQuiet()
    const downAt = Date.now()
    await world.slack.setOutage('http500')
    // One post waits for Slack, so the bot's attempts (it paces them) all go to that post.
    const token = world.say(first)
    const attempts = () => world.slack.calls.filter((c) => c.at >= downAt && String(c.args.text) === token)
    // Down until the bot tried that post 13 times (the old outbox gave up after 12), or 40 s: it
    // paces its attempts as it paces posts, so they come about one or two seconds apart.
    await waitFor('13 attempts at one post', () => attempts().length >= 13, 40_000).catch(() => undefined)
    info(
      `HTTP 500 for ${((Date.now() - downAt) / 1000).toFixed(1)} s: ${token} was tried ${attempts().length} times${attempts().length < 13 ? ' (13 were wanted)' : ''}`,
    )
    world.trace(
      `attempts at ${token}: ${attempts()
        .map((c) => c.at - downAt)
        .join(', ')} ms after Slack went down`,
    )
    await world.slack.setOutage('refused')
    // Replies do not go through Slack: they reach Telegram while it is down, promptly.
    for (const c of customers) await world.reply(c)
    for (const c of others) world.say(c)
    for (const c of customers) await world.reply(c)
    await pause(2_000) // connections refused for a while: the length of this outage is the point
    await world.slack.setOutage(undefined)

    // Back up: the backoff is capped at 200 ms, so the bot must resume at once and not stall.
    await world.settle(5_000, 30_000)
    world.deadline('5 s after Slack was back')
    await restartAndSettle(world)
  },
}

export const rateLimitStorm: Scenario = {
  name: '429-storm',
  about:
    'chat.postMessage answers 429 Retry-After: 1 for many calls; everything arrives once, replies keep flowing',
  async run({ open, info }) {
    const world = await open({})
    const customers = await world.openTickets([1, 2, 3])
    world.promptMs = PROMPT_MS
    for (const c of customers) c.prompt = true

    await world.slackQuiet()
    const stormAt = Date.now()
    world.slack.rateLimit('chat.postMessage', 1)
    for (const c of customers) world.say(c)
    for (const c of customers) await world.reply(c)
    for (const c of customers) world.say(c)
    const limited = () =>
      world.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.at >= stormAt).length
    // Many 429s: until 12 calls were refused, or 12 s.
    await waitFor('12 calls answered 429', () => limited() >= 12, 12_000).catch(() => undefined)
    world.slack.rateLimit('chat.postMessage', undefined)
    info(
      `429 for ${((Date.now() - stormAt) / 1000).toFixed(1)} s: ${limited()} calls refused, at most ${mostRetries(world.slack.calls, 'chat.postMessage', stormAt)} at one post`,
    )
    await world.settle(8_000, 30_000)
    world.deadline('8 s after the storm')
    await restartAndSettle(world)
  },
}

export const hungTarget: Scenario = {
  name: 'hung-target',
  about:
    "Telegram never answers sendMessage for one chat (SEND_TIMEOUT_MS=1000): other tickets' replies arrive within 5 s",
  async run({ open, info }) {
    const world = await open({ env: { SEND_TIMEOUT_MS: '1000' } })
    const customers = await world.openTickets([1, 2, 3, 4])
    const [hung, ...others] = customers
    if (hung === undefined) throw new Error('no tickets')
    // Start from quiet: every ticket's automatic reply is out before the hang.
    await waitFor(
      'the automatic replies',
      () => customers.every((c) => world.telegram.deliveries.some((d) => d.chatId === c.chatId)),
      15_000,
    )
    world.promptMs = PROMPT_MS
    for (const c of others) c.prompt = true

    world.telegram.hang(hung.chatId)
    const hungAt = Date.now()
    for (let round = 0; round < 3; round++) for (const c of customers) await world.reply(c)
    // The others' replies must not wait for the hung chat; give them their bound, then end the hang.
    await waitFor(
      "the other tickets' replies",
      () =>
        others.every((c) =>
          c.replies.every((r) => world.telegram.deliveries.some((d) => d.text === r.token)),
        ),
      PROMPT_MS + 1_000,
    ).catch(() => undefined)
    await pause(Math.max(0, 6_000 - (Date.now() - hungAt))) // the hang lasts 6 s: its length is the point
    world.telegram.release(hung.chatId)
    info(`chat ${hung.chatId} hung for ${((Date.now() - hungAt) / 1000).toFixed(1)} s`)
    await world.settle(8_000, 30_000)
    await restartAndSettle(world)
  },
}
