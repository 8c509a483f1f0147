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
  /** Which bot made it (its incarnation's tag), when the fakes could tell. */
  readonly by?: string | undefined
  readonly ts: string
  readonly threadTs: string | undefined
  readonly text: string
  /** What a root shows of its ticket's first message, when it shows it. */
  readonly opening?: string
}

/** A message Telegram accepted. */
export interface TelegramSend {
  readonly at: number
  /** Which bot sent it (its incarnation's tag), when the fakes could tell. */
  readonly by?: string | undefined
  readonly chatId: string
  readonly text: string
}

export interface Observed {
  readonly customers: readonly CustomerRecord[]
  readonly slackPosts: readonly SlackPost[]
  readonly telegramSends: readonly TelegramSend[]
  /** The text of every sendMessage request, accepted or not: a note in any of them leaked. */
  readonly telegramAttempts: readonly string[]
  /** Every SIGKILL: when it was sent, and to which bot. */
  readonly kills: readonly Kill[]
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

/** A SIGKILL: when it was sent and, when known, the tag of the bot it ended. */
export interface Kill {
  readonly at: number
  readonly bot?: string | undefined
}

/** One copy of a row that a platform accepted: when, and from which bot when the fakes could tell. */
export interface Copy {
  readonly at: number
  readonly by?: string | undefined
}

/**
 * A second copy is allowed only when the first one went out at most this long before a kill (the
 * bot had no time to note it was sent) and the second one after that kill (the next incarnation,
 * or another replica, sent it again). When the fakes tell the senders apart, the first copy must
 * also come from the bot that was killed: two living bots sending one row is a double whenever it is.
 */
export const IN_FLIGHT_WINDOW_MS = 2_000
/** The fake may record a send a moment after the kill signal left (the request was already read). */
export const KILL_GRACE_MS = 100

export const NOTE_SECRET = 'secret-'
const TOKEN = /\bc\d+-[mr]\d+\b/g

export const tokensIn = (text: string): string[] => text.match(TOKEN) ?? []

/** Whether the kill `k` explains `again` as a resend of `first`. */
function explains(k: Kill, first: Copy, again: Copy): boolean {
  const inFlight =
    first.at >= k.at - IN_FLIGHT_WINDOW_MS && first.at <= k.at + KILL_GRACE_MS && again.at > k.at
  if (!inFlight || k.bot === undefined) return inFlight
  return (first.by === undefined || first.by === k.bot) && (again.by === undefined || again.by !== k.bot)
}

/** Splits the extra copies of one row into those a kill explains and the rest. */
export function classifyCopies(
  copies: readonly Copy[],
  kills: readonly Kill[],
): { allowed: number; unexplained: number } {
  const sorted = [...copies].sort((a, b) => a.at - b.at)
  let allowed = 0
  let unexplained = 0
  for (let i = 1; i < sorted.length; i++) {
    const first = sorted[i - 1] ?? { at: 0 }
    const again = sorted[i] ?? { at: 0 }
    if (kills.some((k) => explains(k, first, again))) allowed++
    else unexplained++
  }
  return { allowed, unexplained }
}

/** The index in a token (`c3-m12` → 12): the order the harness sent them in. */
const seqOf = (token: string): number => Number(token.split(/-[mr]/)[1])

/** The customer a token belongs to (`c3-m12` → 3). */
export const customerOf = (token: string): number => Number(token.slice(1, token.indexOf('-')))

/** Items grouped under every key `keysOf` gives them, each once per key, in their order. */
function indexBy<T, K>(items: readonly T[], keysOf: (item: T) => readonly K[]): Map<K, T[]> {
  const index = new Map<K, T[]>()
  for (const item of items)
    for (const key of new Set(keysOf(item))) {
      const list = index.get(key)
      if (list === undefined) index.set(key, [item])
      else list.push(item)
    }
  return index
}

/** A post or send with the tokens its text carries, read once (thousands of them in a big run). */
type Carrying<T> = T & { readonly tokens: readonly string[] }
const carrying = <T extends { readonly text: string }>(item: T): Carrying<T> => ({
  ...item,
  tokens: tokensIn(item.text),
})

export function judge(o: Observed): Verdict {
  const lost: string[] = []
  const doubled: string[] = []
  const inFlightDoubles: string[] = []
  const leaked: string[] = []
  const reordered: string[] = []
  const late: string[] = []

  const countCopies = (what: string, copies: readonly Copy[]) => {
    const { allowed, unexplained } = classifyCopies(copies, o.kills)
    for (let i = 0; i < allowed; i++) inFlightDoubles.push(what)
    for (let i = 0; i < unexplained; i++) doubled.push(what)
  }

  // Customer messages: in the thread of their ticket, once, in order. A root that shows its ticket's
  // first message shows it in that thread.
  const threadPosts = o.slackPosts.flatMap((p) =>
    p.threadTs !== undefined
      ? [carrying(p)]
      : p.opening === undefined
        ? []
        : [carrying({ ...p, threadTs: p.ts, text: p.opening })],
  )
  const rootPosts = o.slackPosts.filter((p) => p.threadTs === undefined).map(carrying)
  const roots = new Set(rootPosts.map((p) => p.ts))
  const postsOf = indexBy(threadPosts, (p) => p.tokens.map(customerOf))
  const rootsOf = indexBy(rootPosts, (p) => p.tokens.map(customerOf))
  for (const c of o.customers) {
    const mine = new Set(c.messages.map((m) => m.token))
    const posts = (postsOf.get(c.index) ?? []).filter((p) => p.tokens.some((t) => mine.has(t)))
    const copiesOf = indexBy(posts, (p) => p.tokens)
    // The ticket's thread is where most of its messages went; one root posted twice leaves an empty thread.
    const thread = mostCommon(posts.map((p) => p.threadTs ?? ''))
    for (const m of c.messages) {
      const copies = copiesOf.get(m.token) ?? []
      const inThread = copies.filter((p) => p.threadTs === thread && roots.has(thread ?? ''))
      if (inThread.length === 0) {
        const why = m.ackedAt === undefined ? 'never taken by the bot' : 'not in Slack'
        lost.push(`${m.token} (${copies.length > 0 ? 'posted outside its ticket thread' : why})`)
        continue
      }
      countCopies(`${m.token} in Slack`, copies)
    }
    checkOrder(
      `customer ${c.index} in Slack`,
      posts.flatMap((p) => p.tokens.filter((t) => mine.has(t))),
      reordered,
    )

    // Their ticket's root message: a second one is a double too.
    const rootCopies = (rootsOf.get(c.index) ?? []).filter((r) => r.tokens.some((t) => mine.has(t)))
    if (rootCopies.length > 1) countCopies(`root of customer ${c.index}`, rootCopies)
  }

  // Agent replies: to the right chat, once, in order, promptly where that is asked for.
  const sends = o.telegramSends.map(carrying)
  const sendsTo = indexBy(sends, (s) => [s.chatId])
  const chatOf = new Map(o.customers.flatMap((c) => c.replies.map((r) => [r.token, c.chatId] as const)))
  for (const c of o.customers) {
    const mine = sendsTo.get(c.chatId) ?? []
    const copiesOf = indexBy(mine, (s) => s.tokens)
    for (const r of c.replies) {
      const copies = copiesOf.get(r.token) ?? []
      if (copies.length === 0) {
        lost.push(
          `${r.token} (${r.ackedAt === undefined ? 'Slack event never acknowledged' : 'never reached Telegram'})`,
        )
        continue
      }
      countCopies(`${r.token} to Telegram`, copies)
      const delay = (copies[0]?.at ?? 0) - (r.ackedAt ?? 0)
      if (c.prompt && o.promptMs !== undefined && r.ackedAt !== undefined && delay > o.promptMs)
        late.push(`${r.token} took ${(delay / 1000).toFixed(1)} s`)
    }
    const replyTokens = new Set(c.replies.map((r) => r.token))
    checkOrder(
      `replies to customer ${c.index}`,
      mine.flatMap((s) => s.tokens.filter((t) => replyTokens.has(t))),
      reordered,
    )
  }
  // A reply in the wrong chat reached someone it was not meant for; a note must reach nobody.
  for (const s of sends)
    for (const t of s.tokens)
      if (chatOf.has(t) && chatOf.get(t) !== s.chatId) leaked.push(`${t} sent to chat ${s.chatId}`)
  for (const text of o.telegramAttempts)
    if (text.includes(NOTE_SECRET)) leaked.push(`note "${text.slice(0, 40)}" sent to a customer`)
  // Anything else the bot sent a customer twice (automatic replies) is a double as well.
  const others = indexBy(
    sends.filter((s) => s.tokens.length === 0),
    (s) => [`${s.chatId}: ${s.text.slice(0, 40)}`],
  )
  for (const [key, copies] of others) if (copies.length > 1) countCopies(`"${key}"`, copies)

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
