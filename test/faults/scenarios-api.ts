import { startWebhookReceiver, type ReceivedEvent } from '../fakes/webhook-receiver.js'
import { postToSlackEndpoint, slashCommandBody } from '../helpers/slack-requests.js'
import type { Scenario } from './scenario.js'
import { pause, waitFor, waitForProgress } from './wait.js'
import { AGENT, type World } from './world.js'

const TICKETS = 4
const MESSAGES_PER_TICKET = 3

/** A slash command as the agent (an admin here); resolves with the ephemeral answer. */
async function slash(world: World, command: string, text: string): Promise<string> {
  const res = await postToSlackEndpoint(
    world.base,
    slashCommandBody(command, text, AGENT),
    'application/x-www-form-urlencoded',
  )
  return ((await res.json()) as { text?: string }).text ?? ''
}

/**
 * POSTs to the API until the bot answers 2xx, as a site retries after a timeout: always with the
 * same Idempotency-Key, so a request the bot stored before it died is not stored twice.
 */
async function post(world: World, key: string, path: string, body: unknown, idempotencyKey: string) {
  return waitFor(
    `the API to take ${idempotencyKey}`,
    async () => {
      try {
        const res = await fetch(`${world.base}/api/v1${path}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            'idempotency-key': idempotencyKey,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(5_000),
        })
        return res.ok ? ((await res.json()) as { id?: number; ticket?: { id: number } }) : false
      } catch {
        // The bot is dead or restarting: try again, as a site would.
        return false
      }
    },
    30_000,
  )
}

/** What the receiver got against what the site sent: lost, doubled beyond the kills, out of order. */
function judgeEvents(accepted: readonly ReceivedEvent[], sent: readonly string[][], kills: number): string[] {
  const problems: string[] = []
  const copies = new Map<string, number>()
  for (const e of accepted) copies.set(e.id, (copies.get(e.id) ?? 0) + 1)
  const doubled = [...copies.values()].filter((n) => n > 1).reduce((sum, n) => sum + n - 1, 0)
  // A kill can send again the one event in flight to the endpoint at that moment, no more.
  if (doubled > kills) problems.push(`${doubled} events arrived twice, more than the ${kills} kills explain`)
  const firsts = accepted.filter((e, i) => accepted.findIndex((x) => x.id === e.id) === i)
  const inbound = (e: ReceivedEvent) =>
    e.type === 'message.created' && e.data.message?.direction === 'inbound' ? e.data.message.text : undefined
  for (const tokens of sent) {
    const seen = firsts.map(inbound).filter((t): t is string => t !== undefined && tokens.includes(t))
    const lost = tokens.filter((t) => !seen.includes(t))
    if (lost.length > 0) problems.push(`lost: ${lost.join(', ')}`)
    const stored = new Set(seen)
    if (stored.size !== seen.length) problems.push(`a message stored twice: ${seen.join(', ')}`)
    if (lost.length === 0 && seen.join() !== tokens.join()) problems.push(`out of order: ${seen.join(', ')}`)
  }
  return problems
}

export const apiWebhookKills: Scenario = {
  name: 'api-webhook-kills',
  about:
    'API tickets and messages while the webhook receiver fails, then SIGKILL in the middle of deliveries: every event arrives, in order, doubled only by a kill',
  async run({ open, random, info, cleanup }) {
    const receiver = await startWebhookReceiver()
    cleanup(() => receiver.close())
    // Retries every second at most: the receiver's outage lasts seconds, not hours.
    const world = await open({ env: { SLACK_ADMINS: AGENT, OUTBOX_MAX_BACKOFF_MS: '1000' } })
    receiver.state.secret =
      /`(whsec_[^`]+)`/.exec(await slash(world, '/webhook', `add ${receiver.url}`))?.[1] ?? ''
    const key = /`(td_[^`]+)`/.exec(await slash(world, '/apikey', 'create faults'))?.[1]
    if (key === undefined || receiver.state.secret === '') throw new Error('no API key or webhook secret')

    // 1. The receiver is down while the site opens tickets and writes; the bot is killed meanwhile.
    receiver.state.failing = true
    const sent: string[][] = []
    const killAt = random.int(1, TICKETS * MESSAGES_PER_TICKET - 1)
    let step = 0
    for (let t = 1; t <= TICKETS; t++) {
      const tokens = Array.from({ length: MESSAGES_PER_TICKET }, (_, m) => `api-t${t}-m${m + 1}`)
      sent.push(tokens)
      const opened = await post(
        world,
        key,
        '/tickets',
        { contact: { externalId: `site-${t}`, name: `Site customer ${t}` }, message: tokens[0] },
        tokens[0] ?? '',
      )
      for (const token of tokens.slice(1)) {
        if (++step === killAt) await world.killAndRestart()
        await post(world, key, `/tickets/${opened.id}/messages`, { text: token }, token)
      }
    }
    await pause(random.int(500, 1500))
    await world.killAndRestart()

    // 2. It recovers; the bot is killed twice while it delivers what waited.
    receiver.state.failing = false
    for (const after of [random.int(2, 6), random.int(8, 14)]) {
      let killed = false
      receiver.state.beforeAnswer = () => {
        if (killed || receiver.accepted.length < after) return
        killed = true
        world.killNow()
      }
      const fired = await waitFor('a delivery to kill the bot at', () => killed, 20_000).catch(() => false)
      receiver.state.beforeAnswer = undefined
      if (fired) await world.restartAfterKill()
      else info(`no kill after ${after} deliveries`)
    }

    const expected = TICKETS * MESSAGES_PER_TICKET
    const inboundSeen = () =>
      new Set(
        receiver.accepted
          .filter((e) => e.type === 'message.created' && e.data.message?.direction === 'inbound')
          .map((e) => e.data.message?.text),
      ).size
    await waitForProgress(() => expected - inboundSeen(), { stallMs: 10_000, hardMs: 60_000 })
    info(
      `${receiver.accepted.length} deliveries accepted, ${receiver.state.attempts} tried, ${world.kills.length} kills`,
    )
    if (receiver.state.badSignatures > 0) throw new Error(`${receiver.state.badSignatures} bad signatures`)
    const problems = judgeEvents(receiver.accepted, sent, world.kills.length)
    if (problems.length > 0) throw new Error(problems.join('; '))
  },
}
