import { killWhen, noHook, type Scenario } from './scenario.js'
import { pause } from './wait.js'
import type { Customer, World } from './world.js'

/** Completion: everything must keep arriving; 10 s without progress means the bot stalled. */
const STALL_MS = 10_000
const HARD_MS = 60_000

type Step = 'say' | 'reply' | 'note'
/**
 * What each customer and their agent do in a burst, in order. Kept short: the bot posts to Slack at
 * about one message a second, as Slack asks, so every customer message costs a second of the run.
 */
const SCRIPT: readonly Step[] = ['say', 'reply', 'say', 'note', 'reply', 'reply', 'say']

async function act(world: World, c: Customer, step: Step): Promise<void> {
  if (step === 'say') world.say(c)
  else if (step === 'reply') await world.reply(c)
  else await world.note(c)
}

export const randomKills: Scenario = {
  name: 'random-kills',
  about: 'SIGKILL at random points of a burst of customer messages, replies and notes; restart each time',
  async run({ open, random, info }) {
    const world = await open({})
    const customers = await world.openTickets([1, 2, 3, 4])
    // The whole schedule comes from the seed before anything runs, so a seed replays the same plan.
    const gaps = customers.map(() => SCRIPT.map(() => random.int(10, 250)))
    const killAfter = [random.int(200, 1200), random.int(200, 1200), random.int(200, 1200)]
    info(`kills after ${killAfter.join(', ')} ms`)
    const actors = customers.map(async (c, i) => {
      for (const [j, step] of SCRIPT.entries()) {
        await pause(gaps[i]?.[j] ?? 0)
        await act(world, c, step)
      }
    })
    const killer = (async () => {
      for (const ms of killAfter) {
        await pause(ms)
        await world.killAndRestart()
      }
    })()
    await Promise.all([...actors, killer])
    await world.settle(STALL_MS, HARD_MS)
  },
}

export const killAfterAck: Scenario = {
  name: 'kill-after-ack',
  about:
    'SIGKILL right after the bot acknowledged: a signed Slack event, a getUpdates batch, a confirmed offset',
  async run({ open, info }) {
    const world = await open({})
    const [a, b, c] = await world.openTickets([1, 2, 3])
    if (a === undefined || b === undefined || c === undefined) throw new Error('no tickets')
    // 1. The agent's reply: Slack got its 200, and then the bot died. Slack will not send it again.
    for (const who of [a, b, c]) {
      const killed = await killWhen(world, noHook, (kill) => world.reply(who, kill))
      if (!killed) info(`${who.replies.at(-1)?.token} was never acknowledged`)
    }
    // 2. getUpdates answered with the customer's message; the bot died before it stored it.
    for (const who of [a, b]) {
      const killed = await killWhen(
        world,
        (kill) => world.telegram.onBatch(kill),
        () => world.say(who),
      )
      if (!killed) info('getUpdates never returned the message')
    }
    // 3. The bot confirmed the update (Telegram forgets it), and then died.
    for (const who of [c, world.customer(4)]) {
      const killed = await killWhen(
        world,
        (kill) => world.telegram.onConfirm(kill),
        () => world.say(who),
      )
      if (!killed) info('the update was never confirmed')
    }
    // Life goes on: one more exchange shows the bot works after all that.
    world.say(a)
    for (const who of [a, b, c]) await world.reply(who)
    await world.settle(STALL_MS, HARD_MS)
  },
}

export const killAfterSend: Scenario = {
  name: 'kill-after-send',
  about:
    'SIGKILL when a send reached Slack or Telegram, before the bot noted it; a resend is allowed, a loss is not',
  async run({ open, info }) {
    const world = await open({})
    const [a, b] = await world.openTickets([1, 2])
    if (a === undefined || b === undefined) throw new Error('no tickets')
    const carries = (text: string, token: string) => new RegExp(`\\b${token}\\b`).test(text)
    // Telegram accepted the agent's reply; the bot dies before it hears so.
    for (const who of [a, b]) {
      const token = `c${who.index}-r${who.replies.length + 1}`
      const killed = await killWhen(
        world,
        (kill) => world.telegram.onSend((d) => carries(d.text, token) && kill()),
        () => world.reply(who),
      )
      if (!killed) info(`${token} never reached Telegram`)
    }
    // Slack accepted the customer's message in the thread.
    for (const who of [a, b]) {
      const token = `c${who.index}-m${who.messages.length + 1}`
      const killed = await killWhen(
        world,
        (kill) =>
          world.slack.onAnswer(
            (p) => p.method === 'chat.postMessage' && carries(String(p.args.text), token) && kill(),
          ),
        () => world.say(who),
      )
      if (!killed) info(`${token} never reached Slack`)
    }
    // Slack accepted a new ticket's root message: the thread it made is not yet the ticket's.
    const c = world.customer(3)
    const killed = await killWhen(
      world,
      (kill) =>
        world.slack.onAnswer(
          (p) =>
            p.method === 'chat.postMessage' &&
            p.args.thread_ts === undefined &&
            carries(String(p.args.text), 'c3-m1') &&
            kill(),
        ),
      () => world.say(c),
    )
    if (!killed) info('the root of ticket 3 never reached Slack')
    world.say(c)
    for (const who of [a, b, c]) await world.reply(who)
    await world.settle(STALL_MS, HARD_MS)
  },
}

export const webhookKills: Scenario = {
  name: 'webhook-kills',
  about:
    'Telegram by webhook: SIGKILL right after the bot answered 200 to an update, and at random; restart each time',
  async run({ open, random, info }) {
    const world = await open({ telegram: 'webhook' })
    const customers = await world.openTickets([1, 2, 3])
    for (const who of customers.slice(0, 2)) {
      const killed = await killWhen(world, noHook, async (kill) => {
        world.say(who, kill)
        await world.delivered()
      })
      if (!killed) info(`c${who.index}'s update was never acknowledged`)
    }
    const killAfter = random.int(100, 600)
    info(`random kill after ${killAfter} ms`)
    const traffic = customers.map(async (c) => {
      world.say(c)
      await world.reply(c)
      await world.note(c)
      await world.reply(c)
    })
    await pause(killAfter)
    await world.killAndRestart()
    await Promise.all(traffic)
    await world.delivered()
    await world.settle(STALL_MS, HARD_MS)
  },
}
