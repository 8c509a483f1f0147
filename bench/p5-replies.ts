/**
 * P5 replies: agents answer in ticket threads (signed Slack events) and the bot sends each answer to
 * the customer on Telegram. From the event leaving Slack to Telegram receiving sendMessage, against
 * a bare relay that verifies the signature and forwards: first at a steady rate within Telegram's
 * limits (latency), then all at once (throughput).
 */
import { resolve } from 'node:path'
import { startFakeTelegram, type FakeTelegram, type TelegramDelivery } from '../test/fakes/telegram-api.js'
import { eventEnvelope, newTs, SIGNING_SECRET, slackSignature } from '../test/helpers/slack-requests.js'
import { AGENT, SUPPORT_CHANNEL, TELEGRAM_TOKEN } from './bot.js'
import { closedLoop, openLoop, type LoadResult, type LoopOptions, type Shot } from './load.js'
import { quantile, type Row } from './report.js'
import { seedThreads, type SeededThread } from './seed.js'
import { startCeiling, withBot, type BenchContext } from './world.js'

export interface ReplySizes {
  readonly tickets: number
  readonly perTicket: number
  /** Replies per second, spread over the tickets in turn: under Telegram's limits (30/s, 1/s a chat). */
  readonly perSecond: number
  /** Events in flight at once when all the replies come at once. */
  readonly burstConcurrency: number
}

const FIRST_CHAT_ID = 5_000_000
const MAX_IN_FLIGHT = 64
/** How long to wait for the last sends once no new one arrives. */
const STALL_MS = 30_000
const TOKEN = /\bp5-(s|b)-t(\d+)-r(\d+)\b/
/** Telegram's limit on one bot's messages, which threaddesk paces to. */
const TELEGRAM_PER_SECOND = 30

type Phase = 's' | 'b'

interface Run {
  readonly load: LoadResult
  /** Event leaving Slack → Telegram receiving it, per reply that arrived, ms. */
  readonly latencies: number[]
  readonly delivered: number
  /** Replies delivered per second, from the first event to the last send. */
  readonly perSecond: number
}

const tokenOf = (phase: Phase, threads: number, i: number) =>
  `p5-${phase}-t${i % threads}-r${Math.floor(i / threads) + 1}`

/** Thread replies as signed Events API requests; each is signed when it leaves, as Slack does. */
function replyShots(phase: Phase, threads: readonly SeededThread[], perTicket: number): (() => Shot)[] {
  return Array.from({ length: threads.length * perTicket }, (_, i) => () => {
    const body = eventEnvelope(
      {
        type: 'message',
        channel: SUPPORT_CHANNEL,
        channel_type: 'channel',
        user: AGENT,
        text: `${tokenOf(phase, threads.length, i)} Your refund was sent today.`,
        ts: newTs(),
        thread_ts: threads[i % threads.length]?.threadTs,
      },
      `EvBench-${phase}-${i}`,
    )
    const timestamp = Math.floor(Date.now() / 1000)
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(body, timestamp),
      },
    }
  })
}

/** Sends one phase's replies and times each until the Telegram fake receives it. */
async function drive(
  phase: Phase,
  url: string,
  telegram: FakeTelegram,
  threads: readonly SeededThread[],
  sizes: ReplySizes,
): Promise<Run> {
  const total = threads.length * sizes.perTicket
  const sent = new Map<string, number>()
  const arrived = new Map<string, number>()
  const stop = telegram.onSend((d: TelegramDelivery) => {
    const token = TOKEN.exec(d.text)?.[0]
    if (token?.startsWith(`p5-${phase}-`) === true && !arrived.has(token)) arrived.set(token, d.at)
  })
  try {
    const shots = replyShots(phase, threads, sizes.perTicket)
    const opts: LoopOptions = { onSent: (i, at) => sent.set(tokenOf(phase, threads.length, i), at) }
    const load =
      phase === 's'
        ? await openLoop(url, shots, sizes.perSecond, MAX_IN_FLIGHT, opts)
        : await closedLoop(url, shots, sizes.burstConcurrency, opts)
    let last = arrived.size
    let movedAt = Date.now()
    while (arrived.size < total && Date.now() - movedAt < STALL_MS) {
      await new Promise((r) => setTimeout(r, 50))
      if (arrived.size !== last) [last, movedAt] = [arrived.size, Date.now()]
    }
    const latencies = [...arrived].map(([token, at]) => at - (sent.get(token) ?? at))
    const first = Math.min(...sent.values())
    const lastSend = Math.max(...arrived.values())
    return {
      load,
      latencies,
      delivered: arrived.size,
      perSecond: arrived.size === 0 ? 0 : (arrived.size / Math.max(1, lastSend - first)) * 1000,
    }
  } finally {
    stop()
  }
}

/** Both phases against one target: steady first, then all at once. */
async function phases(
  url: string,
  telegram: FakeTelegram,
  threads: readonly SeededThread[],
  sizes: ReplySizes,
) {
  return {
    steady: await drive('s', url, telegram, threads, sizes),
    burst: await drive('b', url, telegram, threads, sizes),
  }
}

export async function measureReplies(ctx: BenchContext, sizes: ReplySizes): Promise<Row[]> {
  const total = sizes.tickets * sizes.perTicket
  const threads = Array.from({ length: sizes.tickets }, (_, i) => ({
    ticketId: i + 1,
    chatId: FIRST_CHAT_ID + i,
    threadTs: `1763800000.${String(i).padStart(6, '0')}`,
  }))

  ctx.progress(
    `P5: the ceiling (a bare signed-event relay), ${total} replies at ${sizes.perSecond}/s, then ${total} at once`,
  )
  const telegram = await startFakeTelegram(TELEGRAM_TOKEN)
  let bare: Awaited<ReturnType<typeof phases>>
  try {
    const relay = await startCeiling(resolve(import.meta.dirname, 'ceilings/relay.ts'), {
      SIGNING_SECRET,
      TELEGRAM_URL: `${telegram.url}/bot${TELEGRAM_TOKEN}`,
      CHATS: JSON.stringify(Object.fromEntries(threads.map((t) => [t.threadTs, t.chatId]))),
    })
    try {
      bare = await phases(relay.url, telegram, threads, sizes)
    } finally {
      await relay.stop()
    }
  } finally {
    await telegram.close()
  }

  ctx.progress(
    `P5: threaddesk, ${total} agent replies over ${sizes.tickets} tickets at ${sizes.perSecond}/s, then ${total} at once`,
  )
  let seeded: SeededThread[] = []
  const { result: mine, problems } = await withBot(
    ctx,
    'p5',
    {
      seed: async (file) => {
        seeded = await seedThreads(file, {
          count: sizes.tickets,
          deskChannel: SUPPORT_CHANNEL,
          firstChatId: FIRST_CHAT_ID,
        })
      },
    },
    ({ bot, telegram: fake }) => phases(`${bot.base}/slack/events`, fake, seeded, sizes),
  )
  const notes = (run: Run) => [
    ...(run.delivered < total ? [`${total - run.delivered} of ${total} replies never reached Telegram`] : []),
    ...(Object.keys(run.load.statuses).some((s) => s !== '200')
      ? [`answers: ${JSON.stringify(run.load.statuses)}`]
      : []),
  ]
  const steadyNote = [...notes(mine.steady), ...problems]
  const burstNote = [
    `threaddesk paces sends to Telegram's ${TELEGRAM_PER_SECOND} messages/s for a bot; the relay does not`,
    ...notes(mine.burst),
  ]
  const ms = (r: Run, q: number) => quantile(r.latencies, q)
  const detail = (r: Run) => ({
    p50Ms: Math.round(ms(r, 0.5)),
    p99Ms: Math.round(ms(r, 0.99)),
    maxMs: Math.round(ms(r, 1)),
    delivered: r.delivered,
    perSecond: Math.round(r.perSecond * 10) / 10,
    ackP99Ms: Math.round(quantile(r.load.latencies, 0.99)),
  })
  return [
    {
      id: 'p5.replies.p50',
      measure: `P5 replies: ${total.toLocaleString('en')} over ${sizes.tickets} tickets at ${sizes.perSecond}/s, event → Telegram p50`,
      unit: 'ms',
      threaddesk: ms(mine.steady, 0.5),
      ceiling: ms(bare.steady, 0.5),
      target: { of: 'value', op: '<=', bound: 50 },
      detail: { threaddesk: detail(mine.steady), relay: detail(bare.steady) },
      ...(steadyNote.length > 0 && { note: steadyNote.join('; ') }),
    },
    {
      id: 'p5.replies.p99',
      measure: 'P5 replies: event → Telegram p99',
      unit: 'ms',
      threaddesk: ms(mine.steady, 0.99),
      ceiling: ms(bare.steady, 0.99),
      target: { of: 'value', op: '<=', bound: 200 },
    },
    {
      id: 'p5.replies.burst',
      measure: `P5 replies: ${total.toLocaleString('en')} at once (${sizes.burstConcurrency} events in flight), delivered per second`,
      unit: '/s',
      threaddesk: mine.burst.perSecond,
      ceiling: bare.burst.perSecond,
      target: null,
      detail: { threaddesk: detail(mine.burst), relay: detail(bare.burst) },
      note: burstNote.join('; '),
    },
  ]
}
