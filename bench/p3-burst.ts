/**
 * P3 burst: many customers write at once and Slack allows one post a second per channel. How long
 * until every message is visible in Slack, with how many calls and 429s, against the least it can
 * take: one root and one post per ticket at Slack's rate.
 */
import type { PostRate, SlackAnswer } from '../test/fakes/slack-api.js'
import { createClient } from './load.js'
import type { Row } from './report.js'
import { telegramUpdates } from './telegram-load.js'
import { withBot, type BenchContext } from './world.js'

export interface BurstSizes {
  readonly tickets: number
  readonly perTicket: number
  /** Said in the output when this is not the full run. */
  readonly shortened: boolean
}

/** Slack's limit on chat.postMessage as the issue states it: 1 per second per channel after a burst of 3. */
export const SLACK_POST_RATE: PostRate = { perSecond: 1, burst: 3 }
const FIRST_CHAT_ID = 3_000_000
/** A bot that shows nothing new for this long has stopped: what is missing then is lost. */
const STALL_MS = 180_000

const TOKEN = /\bp3-c(\d+)-m(\d+)\b/g

/** Every string in a call's arguments (its text, the text of its blocks), as Slack would show it. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(stringsIn)
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn)
  return []
}

export async function measureBurst(ctx: BenchContext, sizes: BurstSizes): Promise<Row[]> {
  const total = sizes.tickets * sizes.perTicket
  ctx.progress(
    `P3: ${total} messages over ${sizes.tickets} new tickets at once into a Slack that allows ${SLACK_POST_RATE.perSecond} post/s per channel after ${SLACK_POST_RATE.burst}${sizes.shortened ? ' (short version; BENCH_FULL=1 for 1,000 over 100)' : ''}`,
  )
  const { result, problems } = await withBot(
    ctx,
    'p3',
    { slackPostRate: SLACK_POST_RATE },
    async ({ bot, slack }) => {
      /** When each message was first seen in Slack, and in what order per customer. */
      const seen = new Map<string, number>()
      const order = new Map<number, number[]>()
      const watch = (answer: SlackAnswer) => {
        if (answer.method !== 'chat.postMessage' && answer.method !== 'chat.update') return
        // Read the strings themselves: in JSON, a token after a line break follows a backslash-n.
        for (const [token, customer, message] of stringsIn(answer.args).join('\n').matchAll(TOKEN)) {
          if (seen.has(token)) continue
          seen.set(token, answer.at)
          order.set(Number(customer), [...(order.get(Number(customer)) ?? []), Number(message)])
        }
      }
      const stopWatching = slack.onAnswer(watch)
      const shots = telegramUpdates(total, sizes.tickets, FIRST_CHAT_ID, (c, m) => `p3-c${c}-m${m}`)
      const client = createClient(`${bot.base}/webhooks/telegram`, Math.min(sizes.tickets, 64))
      const startedAt = Date.now()
      const statuses: Record<number, number> = {}
      // Each customer's messages in order, each after the one before was acknowledged (as Telegram does).
      await Promise.all(
        Array.from({ length: sizes.tickets }, async (_, customer) => {
          for (let m = 0; m < sizes.perTicket; m++) {
            const shot = shots[m * sizes.tickets + customer]
            if (shot === undefined) continue
            const { status } = await client.post(shot)
            statuses[status] = (statuses[status] ?? 0) + 1
          }
        }),
      )
      client.close()
      let lastProgress = Date.now()
      let count = seen.size
      while (seen.size < total && Date.now() - lastProgress < STALL_MS) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        if (seen.size !== count) {
          count = seen.size
          lastProgress = Date.now()
        }
      }
      stopWatching()
      const doneAt = seen.size < total ? undefined : Math.max(...seen.values())
      const posts = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.at <= (doneAt ?? Infinity))
      const accepted = slack.answered.filter(
        (a) => a.method === 'chat.postMessage' && a.at <= (doneAt ?? Infinity),
      )
      const reordered = [...order.values()].filter((ms) =>
        ms.some((m, i) => i > 0 && m < (ms[i - 1] ?? 0)),
      ).length
      const byMethod: Record<string, number> = {}
      for (const c of slack.calls) byMethod[c.method] = (byMethod[c.method] ?? 0) + 1
      return {
        seconds: doneAt === undefined ? null : (doneAt - startedAt) / 1000,
        visible: seen.size,
        posts: posts.length,
        rejected: posts.length - accepted.length,
        reordered,
        byMethod,
        statuses,
      }
    },
  )
  const minimum = Math.max(0, 2 * sizes.tickets - SLACK_POST_RATE.burst) / SLACK_POST_RATE.perSecond
  const lost = total - result.visible
  const label = `${total.toLocaleString('en')} messages over ${sizes.tickets} new ticket${sizes.tickets === 1 ? '' : 's'}`
  const note = [
    ...(sizes.shortened ? ['short version (BENCH_FULL=1 runs 1,000 over 100)'] : []),
    ...(result.seconds === null
      ? [`${lost} never became visible (nothing new for ${STALL_MS / 1000} s)`]
      : []),
    ...problems,
  ]
  return [
    {
      id: 'p3.burst.visible',
      measure: `P3 burst: ${label} → all visible in Slack`,
      unit: 's',
      threaddesk: result.seconds,
      ceiling: minimum,
      target: { of: 'ratio', op: '<=', bound: 1.1 },
      detail: { ...result, minimumS: minimum, rate: SLACK_POST_RATE },
      ...(note.length > 0 && { note: note.join('; ') }),
    },
    {
      id: 'p3.burst.posts',
      measure: 'P3 chat.postMessage calls until all visible (minimum: root + one post per ticket)',
      unit: 'calls',
      threaddesk: result.posts,
      ceiling: 2 * sizes.tickets,
      target: null,
    },
    {
      id: 'p3.burst.429',
      measure: 'P3 posts Slack answered 429',
      unit: 'calls',
      threaddesk: result.rejected,
      ceiling: null,
      target: { of: 'value', op: '<=', bound: 0 },
    },
    {
      id: 'p3.burst.lost',
      measure: 'P3 messages lost or out of order',
      unit: 'msgs',
      threaddesk: lost + result.reordered,
      ceiling: null,
      target: { of: 'value', op: '<=', bound: 0 },
      note: `${lost} lost, ${result.reordered} tickets out of order`,
    },
  ]
}
