/**
 * What an agent's message in a ticket's thread is: a reply for the customer, a private note, internal
 * chat between agents, or a `!command`. Pure: Slack's text in, a verdict out.
 *
 * The rule (README, "Working a ticket"):
 * - `!…` is a command, never sent.
 * - A message that starts with a note marker (`note`, `notes`, `private`, `internal`; any case) is a
 *   private note. Whatever comes before the marker is looked through: formatting (`*`, `_`, `~`,
 *   backticks), quotes (`>`), bullets (`•`, `-`, `*`, `1.`), brackets and quotation marks, emoji,
 *   spaces. The marker counts only when a colon (`:`, ` :`, `：`), a dash and a space (`-`, `–`,
 *   `—`), a line break or the end of the message follows it, or when the decoration around it closes
 *   right after it (`*Note*`, `[internal]`). Markers may follow one another, and `only` or `to self`
 *   may follow them ("Private note:", "Internal-only:", "Note to self:"). So `*note:*`, `> Notes -`
 *   and `:memo: private:` are notes, while "Notes about your order are attached" is a reply.
 * - A message that starts (after the same decoration) with a mention of a person, a user group, a
 *   channel, or @here/@channel/@everyone is internal: stored as a note, never sent.
 * - Anything else is a reply in `send` mode, and internal in `internal` mode.
 */

export type Verdict = 'reply' | 'note' | 'internal' | 'command'

/** `send`: plain thread messages go to the customer; `internal`: only `!reply` and `/reply` do. */
export type ReplyMode = 'send' | 'internal'

export interface Classification {
  readonly verdict: Verdict
  /** What to store: a note's body without its marker and decoration; anything else as written (trimmed). */
  readonly text: string
}

export interface ClassifyOptions {
  /** Note markers, as configured (`note`, `private`, or a legacy `note:`). */
  readonly markers: readonly string[]
  readonly mode: ReplyMode
}

/** Classifies one message typed in a ticket's thread. */
export function classifyThreadMessage(text: string, opts: ClassifyOptions): Classification {
  const trimmed = text.trim()
  if (trimmed.startsWith('!')) return { verdict: 'command', text: trimmed }
  const lead = readLead(trimmed, compileMarkers(opts.markers))
  if (lead.kind === 'note') return { verdict: 'note', text: lead.body }
  if (lead.kind === 'mention') return { verdict: 'internal', text: trimmed }
  return { verdict: opts.mode === 'internal' ? 'internal' : 'reply', text: trimmed }
}

/**
 * The body of a text that starts with a note marker (after the same decoration the thread allows),
 * or undefined when it does not start with one.
 */
export function noteBody(text: string, markers: readonly string[]): string | undefined {
  const lead = readLead(text.trim(), compileMarkers(markers))
  return lead.kind === 'note' ? lead.body : undefined
}

/**
 * A configured marker as matched: `note:` and `note` are the same marker. A marker that ends in a
 * letter or digit must be followed by its colon or dash form (see the rule above); one that ends in
 * a sign (a legacy `//`) delimits itself.
 */
export function normalizeMarker(marker: string): string {
  const bare = marker.trim().replace(/[\s:：﹕]+$/u, '')
  return bare === '' ? marker.trim() : bare
}

type Lead = { kind: 'note'; body: string } | { kind: 'mention' } | { kind: 'none' }

interface Marker {
  /** The marker in lower case. */
  readonly word: string
  readonly pattern: RegExp
  readonly delimits: boolean
}

const compiled = new Map<string, readonly Marker[]>()

function compileMarkers(markers: readonly string[]): readonly Marker[] {
  const key = markers.join('\u0000')
  const known = compiled.get(key)
  if (known !== undefined) return known
  const list = [...new Set(markers.map(normalizeMarker).filter((m) => m !== ''))]
    .sort((a, b) => b.length - a.length)
    .map((m) => ({
      word: m.toLowerCase(),
      pattern: new RegExp(`^${[...m].map(charPattern).join('')}`, 'iu'),
      delimits: !/[\p{L}\p{N}]$/u.test(m),
    }))
  compiled.set(key, list)
  return list
}

/** One character of a marker: any case, its full-width form too (`ｎｏｔｅ`), any run of spaces for a space. */
function charPattern(ch: string): string {
  if (/\s/u.test(ch)) return '\\s+'
  const code = ch.charCodeAt(0)
  const escaped = ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
  if (ch.length !== 1 || code < 0x21 || code > 0x7e) return escaped
  const wide = [ch.toLowerCase(), ch.toUpperCase()].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
  return `(?:${escaped}|${[...new Set(wide)].join('|')})`
}

const SPACE = /^(?:\s|\u200b|\u200c|\u200d|\u2060|\ufeff)+/u
const FORMAT = /^[*_~`]/
const QUOTE = /^(?:>|&gt;)/
const BULLET = /^(?:[•◦▪▫‣⁃∙●○■□►▶➤→·–—-]|\d{1,3}[.)](?=\s))/u
const OPEN_BRACKET = /^[[({【「『〔（［"“„'‘«]/u
const SHORTCODE = /^:[a-z0-9_+'-]+:(?::skin-tone-[2-6]:)?/i
const EMOJI =
  /^(?:[0-9#*]\ufe0f?\u20e3|[\u{1f1e6}-\u{1f1ff}]{2}|\p{Extended_Pictographic}(?:\ufe0f|[\u{1f3fb}-\u{1f3ff}]|[\u{e0020}-\u{e007f}]|\u200d\p{Extended_Pictographic})*)\ufe0f?/u
/** Slack's mentions: a person, a user group, a channel, @here/@channel/@everyone. */
const MENTION =
  /^<(?:@[UW][A-Z0-9]+|!subteam\^[A-Z0-9]+|#[CG][A-Z0-9]+|!(?:here|channel|everyone))(?:\|[^>]*)?>/

const CLOSER: Record<string, string> = {
  '*': '*',
  _: '_',
  '~': '~',
  '`': '`',
  '[': ']',
  '(': ')',
  '{': '}',
  '【': '】',
  '「': '」',
  '『': '』',
  '〔': '〕',
  '（': '）',
  '［': '］',
  '"': '"',
  '“': '”',
  '„': '“',
  "'": "'",
  '‘': '’',
  '«': '»',
}

/** Reads the decorated start of a message: a note marker, a mention, or neither. */
function readLead(text: string, markers: readonly Marker[]): Lead {
  let rest = text
  // The closing characters that the decoration before the marker opened, innermost last.
  const opened: string[] = []
  for (;;) {
    const body = markerAt(rest, markers, opened)
    if (body !== undefined) return { kind: 'note', body }
    if (MENTION.test(rest)) return { kind: 'mention' }
    const decoration = leadingDecoration(rest)
    if (decoration === undefined) return { kind: 'none' }
    // An emoji named like a marker (`:note:`, `:notes:`) is the marker.
    const named = /^:([^:]+):$/.exec(decoration)?.[1]?.toLowerCase()
    if (named !== undefined && markers.some((m) => m.word === named)) {
      return { kind: 'note', body: trimClosers(rest.slice(decoration.length).trim(), opened) }
    }
    const closer = CLOSER[decoration]
    if (closer !== undefined) opened.push(closer)
    rest = rest.slice(decoration.length)
  }
}

/** "Private note:", "Internal-only:": markers may follow one another, and `only` or `to self` may follow one. */
const CHAIN = /^[ \t]*[-–]?[ \t]*/u
const ONLY: Marker = { word: 'only', pattern: /^(?:only|to\s+self)/iu, delimits: false }

/** How many words may follow the first marker ("Private internal note only:" is three). */
const MAX_CHAIN = 3

/** The note's body when `rest` starts with a marker that counts (see afterMarker), else undefined. */
function markerAt(
  rest: string,
  markers: readonly Marker[],
  opened: readonly string[],
  chained = 0,
): string | undefined {
  for (const marker of chained > 0 ? [...markers, ONLY] : markers) {
    const found = marker.pattern.exec(rest)
    if (found === null) continue
    const tail = rest.slice(found[0].length)
    const body = afterMarker(tail, marker.delimits, opened)
    if (body !== undefined) return body
    const gap = CHAIN.exec(tail)?.[0] ?? ''
    if (gap !== '' && chained < MAX_CHAIN) {
      const next = markerAt(tail.slice(gap.length), markers, opened, chained + 1)
      if (next !== undefined) return next
    }
  }
  return undefined
}

/** The decoration at the start of `rest` (formatting, quote, bullet, bracket, emoji, space), if any. */
function leadingDecoration(rest: string): string | undefined {
  for (const pattern of [SPACE, QUOTE, BULLET, FORMAT, OPEN_BRACKET, SHORTCODE, EMOJI]) {
    const found = pattern.exec(rest)
    if (found !== null && found[0] !== '') return found[0]
  }
  return undefined
}

/**
 * What follows a marker when it counts as one: the note's body. Undefined when the marker is only the
 * start of a word or sentence ("Notes about your order…").
 */
function afterMarker(rest: string, delimits: boolean, opened: readonly string[]): string | undefined {
  // Decoration that closes right after the marker: `*Note*`, `[internal]`, `_note_:`.
  const closed = closingRun(rest, opened)
  let tail = rest.slice(closed.length)
  const form = /^[ \t]*(?:[:：﹕]|[-–—]+(?=\s|$))/u.exec(tail)
  if (form !== null) {
    tail = tail.slice(form[0].length)
    // `*note:*`: the formatting closes after the colon.
    tail = tail.slice(closingRun(tail, opened).length)
  } else if (!delimits && closed === '' && !/^[ \t]*(?:\r?\n|$)/.test(tail)) {
    return undefined
  }
  return trimClosers(tail.trim(), opened)
}

/** The longest run at the start of `text` made only of characters that close what was opened. */
function closingRun(text: string, opened: readonly string[]): string {
  let run = ''
  for (const ch of text) {
    if (!opened.includes(ch)) break
    run += ch
  }
  return run
}

/** A body wrapped whole in the decoration of its marker (`*note: be quick*`) loses the closing half. */
function trimClosers(body: string, opened: readonly string[]): string {
  let out = body
  for (const closer of [...opened].reverse()) {
    if (out.length > 1 && out.endsWith(closer)) out = out.slice(0, -closer.length).trimEnd()
  }
  return out
}
