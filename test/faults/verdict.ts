/**
 * The count at the end of a scenario, from what the fakes saw: what every customer and agent sent
 * against what reached the other side. Pure, so the rules are tested on their own (verdict.test.ts).
 */

/** A customer's message or an agent's reply, as the harness sent it. */
export interface Sent {
  /** The traceable text: `c3-m2` for customer 3's second message, `c3-r1` for the first reply to them. */
  readonly token: string
  /** When the platform had it acknowledged by the bot (undefined: the bot never took it). */
  readonly ackedAt: number | undefined
}

export interface CustomerRecord {
  readonly index: number
  readonly chatId: string
  readonly messages: readonly Sent[]
  readonly replies: readonly Sent[]
  /** Whether this customer's replies must arrive within `promptMs` of their acknowledgement. */
  readonly prompt: boolean
}

/** A post Slack accepted (chat.postMessage answered ok). */
export interface SlackPost {
  readonly at: number
  readonly ts: string
  readonly threadTs: string | undefined
  readonly text: string
  /** What a root shows of its ticket's first message, when it shows it. */
  readonly opening?: string
}

/** A message Telegram accepted. */
export interface TelegramSend {
  readonly at: number
  readonly chatId: string
  readonly text: string
}

export interface Observed {
  readonly customers: readonly CustomerRecord[]
  readonly slackPosts: readonly SlackPost[]
  readonly telegramSends: readonly TelegramSend[]
  /** The text of every sendMessage request, accepted or not: a note in any of them leaked. */
  readonly telegramAttempts: readonly string[]
  /** When each SIGKILL was sent. */
  readonly kills: readonly number[]
  readonly crashes: readonly string[]
  /** The bound for `prompt` customers' replies (ms from acknowledgement to delivery). */
  readonly promptMs?: number
}

export interface Verdict {
  readonly lost: readonly string[]
  /** Copies that no kill explains. */
  readonly doubled: readonly string[]
  /** Copies of a row that was in flight at a kill: allowed. */
  readonly inFlightDoubles: readonly string[]
  readonly leaked: readonly string[]
  readonly crashed: readonly string[]
  readonly reordered: readonly string[]
  readonly late: readonly string[]
}

/**
 * A second copy is allowed only when the first one went out at most this long before a kill (the
 * bot had no time to note it was sent) and the second one after that kill (the next incarnation
 * sent it again).
 */
export const IN_FLIGHT_WINDOW_MS = 2_000
/** The fake may record a send a moment after the kill signal left (the request was already read). */
export const KILL_GRACE_MS = 100

export const NOTE_SECRET = 'secret-'
const TOKEN = /\bc\d+-[mr]\d+\b/g

export const tokensIn = (text: string): string[] => text.match(TOKEN) ?? []

/** Splits the extra copies of one row (times of acceptance) into those a kill explains and the rest. */
export function classifyCopies(
  copies: readonly number[],
  kills: readonly number[],
): { allowed: number; unexplained: number } {
  const times = [...copies].sort((a, b) => a - b)
  let allowed = 0
  let unexplained = 0
  for (let i = 1; i < times.length; i++) {
    const first = times[i - 1] ?? 0
    const again = times[i] ?? 0
    const explained = kills.some(
      (k) => first >= k - IN_FLIGHT_WINDOW_MS && first <= k + KILL_GRACE_MS && again > k,
    )
    if (explained) allowed++
    else unexplained++
  }
  return { allowed, unexplained }
}

/** The index in a token (`c3-m12` → 12): the order the harness sent them in. */
const seqOf = (token: string): number => Number(token.split(/-[mr]/)[1])

export function judge(o: Observed): Verdict {
  const lost: string[] = []
  const doubled: string[] = []
  const inFlightDoubles: string[] = []
  const leaked: string[] = []
  const reordered: string[] = []
  const late: string[] = []

  const countCopies = (what: string, times: readonly number[]) => {
    const { allowed, unexplained } = classifyCopies(times, o.kills)
    for (let i = 0; i < allowed; i++) inFlightDoubles.push(what)
    for (let i = 0; i < unexplained; i++) doubled.push(what)
  }

  // Customer messages: in the thread of their ticket, once, in order. A root that shows its ticket's
  // first message shows it in that thread.
  const threadPosts = o.slackPosts.flatMap((p) =>
    p.threadTs !== undefined
      ? [p]
      : p.opening === undefined
        ? []
        : [{ ...p, threadTs: p.ts, text: p.opening }],
  )
  const roots = new Map(o.slackPosts.filter((p) => p.threadTs === undefined).map((p) => [p.ts, p]))
  for (const c of o.customers) {
    const mine = new Set(c.messages.map((m) => m.token))
    const posts = threadPosts.filter((p) => tokensIn(p.text).some((t) => mine.has(t)))
    // The ticket's thread is where most of its messages went; one root posted twice leaves an empty thread.
    const thread = mostCommon(posts.map((p) => p.threadTs ?? ''))
    for (const m of c.messages) {
      const copies = posts.filter((p) => tokensIn(p.text).includes(m.token))
      const inThread = copies.filter((p) => p.threadTs === thread && roots.has(thread ?? ''))
      if (inThread.length === 0) {
        const why = m.ackedAt === undefined ? 'never taken by the bot' : 'not in Slack'
        lost.push(`${m.token} (${copies.length > 0 ? 'posted outside its ticket thread' : why})`)
        continue
      }
      countCopies(
        `${m.token} in Slack`,
        copies.map((p) => p.at),
      )
    }
    checkOrder(
      `customer ${c.index} in Slack`,
      posts.flatMap((p) => tokensIn(p.text).filter((t) => mine.has(t))),
      reordered,
    )

    // Their ticket's root message: a second one is a double too.
    const rootCopies = [...roots.values()].filter((r) => tokensIn(r.text).some((t) => mine.has(t)))
    if (rootCopies.length > 1)
      countCopies(
        `root of customer ${c.index}`,
        rootCopies.map((r) => r.at),
      )
  }

  // Agent replies: to the right chat, once, in order, promptly where that is asked for.
  const chatOf = new Map(o.customers.flatMap((c) => c.replies.map((r) => [r.token, c.chatId] as const)))
  for (const c of o.customers) {
    const mine = o.telegramSends.filter((s) => s.chatId === c.chatId)
    for (const r of c.replies) {
      const copies = mine.filter((s) => tokensIn(s.text).includes(r.token))
      if (copies.length === 0) {
        lost.push(
          `${r.token} (${r.ackedAt === undefined ? 'Slack event never acknowledged' : 'never reached Telegram'})`,
        )
        continue
      }
      countCopies(
        `${r.token} to Telegram`,
        copies.map((s) => s.at),
      )
      const delay = (copies[0]?.at ?? 0) - (r.ackedAt ?? 0)
      if (c.prompt && o.promptMs !== undefined && r.ackedAt !== undefined && delay > o.promptMs)
        late.push(`${r.token} took ${(delay / 1000).toFixed(1)} s`)
    }
    const replyTokens = new Set(c.replies.map((r) => r.token))
    checkOrder(
      `replies to customer ${c.index}`,
      mine.flatMap((s) => tokensIn(s.text).filter((t) => replyTokens.has(t))),
      reordered,
    )
  }
  // A reply in the wrong chat reached someone it was not meant for; a note must reach nobody.
  for (const s of o.telegramSends)
    for (const t of tokensIn(s.text))
      if (chatOf.has(t) && chatOf.get(t) !== s.chatId) leaked.push(`${t} sent to chat ${s.chatId}`)
  for (const text of o.telegramAttempts)
    if (text.includes(NOTE_SECRET)) leaked.push(`note "${text.slice(0, 40)}" sent to a customer`)
  // Anything else the bot sent a customer twice (automatic replies) is a double as well.
  const others = new Map<string, number[]>()
  for (const s of o.telegramSends.filter((s) => tokensIn(s.text).length === 0)) {
    const key = `${s.chatId}: ${s.text.slice(0, 40)}`
    others.set(key, [...(others.get(key) ?? []), s.at])
  }
  for (const [key, times] of others) if (times.length > 1) countCopies(`"${key}"`, times)

  return { lost, doubled, inFlightDoubles, leaked, crashed: [...o.crashes], reordered, late }
}

/** Tokens must first appear in the order they were sent; a repeat (a double) is not a reorder. */
function checkOrder(what: string, seen: readonly string[], out: string[]): void {
  const firsts = [...new Set(seen)]
  for (let i = 1; i < firsts.length; i++) {
    const before = firsts[i - 1] ?? ''
    const now = firsts[i] ?? ''
    if (seqOf(now) < seqOf(before)) out.push(`${what}: ${now} after ${before}`)
  }
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0]
}
