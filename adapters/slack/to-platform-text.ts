import type { Flavour } from '../channel-module.js'
import { parseEmphasis, type Inline, type Style, type Unit } from '../shared/emphasis.js'
import { emojiOf } from './emoji.js'

/** The name a customer should read for a Slack user (an agent's display name). */
export type NameOf = (userId: string) => Promise<string>

/**
 * An agent's Slack text as a customer on a platform should read it: emphasis in the platform's own
 * marks, emoji shortcodes as emoji, mentions as names, links as "label (url)", and Slack's escaped
 * `&lt; &gt; &amp;` as themselves (decoded once, after everything else was read).
 */
export async function toPlatformText(slackText: string, flavour: Flavour, nameOf: NameOf): Promise<string> {
  const units = tokenize(slackText)
  const names = await resolveNames(units, nameOf)
  const out = new Output()
  render(parseEmphasis(units), flavour, names, out)
  return out.text
}

type Atom =
  | { readonly kind: 'code' | 'pre'; readonly text: string }
  | { readonly kind: 'markup'; readonly inner: string }
  | { readonly kind: 'emoji'; readonly raw: string; readonly name: string; readonly tone?: number }
  | { readonly kind: 'quote' }
  | { readonly kind: 'bullet'; readonly mark: string }

/** Code blocks, code spans, Slack's `<…>` markup and emoji shortcodes, read where they start. */
const TOKEN = /```([\s\S]*?)```|`([^`\n]+)`|<([^<>\n]+)>|:([a-z0-9_+'-]+):(?::skin-tone-([2-6]):)?/iy
/** Slack sends a quote typed as `>` escaped; a list item as `•` (nested: `◦`, `▪`). */
const LINE_START = /(&gt;) ?|([ \t]*)([•◦▪▫‣⁃]) /y

function tokenize(text: string): Unit<Atom>[] {
  const units: Unit<Atom>[] = []
  let i = 0
  while (i < text.length) {
    if (i === 0 || text[i - 1] === '\n') {
      LINE_START.lastIndex = i
      const line = LINE_START.exec(text)
      if (line !== null) {
        if (line[1] !== undefined) units.push({ atom: { kind: 'quote' } })
        else units.push(...(line[2] ?? ''), { atom: { kind: 'bullet', mark: line[3] ?? '•' } })
        i = LINE_START.lastIndex
        continue
      }
    }
    TOKEN.lastIndex = i
    const token = TOKEN.exec(text)
    if (token === null) {
      const ch = String.fromCodePoint(text.codePointAt(i) ?? 0)
      units.push(ch)
      i += ch.length
      continue
    }
    const [raw, pre, code, inner, name, tone] = token
    if (pre !== undefined) units.push({ atom: { kind: 'pre', text: pre } })
    else if (code !== undefined) units.push({ atom: { kind: 'code', text: code } })
    else if (inner !== undefined) units.push({ atom: { kind: 'markup', inner } })
    else
      units.push({
        atom: { kind: 'emoji', raw, name: name ?? '', ...(tone !== undefined && { tone: Number(tone) }) },
      })
    i = TOKEN.lastIndex
  }
  return units
}

const USER = /^@([UW][A-Z0-9]+)(?:\|(.*))?$/s
const MARKUP_IN_CODE = /<([^<>\n]+)>/g

/** Every mentioned user's name, asked once per user; an unreadable name falls back to the mention's label. */
async function resolveNames(units: readonly Unit<Atom>[], nameOf: NameOf): Promise<Map<string, string>> {
  const inners: string[] = []
  for (const u of units) {
    if (typeof u === 'string') continue
    if (u.atom.kind === 'markup') inners.push(u.atom.inner)
    if (u.atom.kind === 'code' || u.atom.kind === 'pre')
      inners.push(...[...u.atom.text.matchAll(MARKUP_IN_CODE)].map((m) => m[1] ?? ''))
  }
  const ids = new Set(inners.map((inner) => USER.exec(inner)?.[1]).filter((id) => id !== undefined))
  const names = new Map<string, string>()
  await Promise.all(
    [...ids].map(async (id) => {
      const name = await nameOf(id).catch(() => '')
      if (name.trim() !== '') names.set(id, name.trim())
    }),
  )
  return names
}

/** Slack's three escapes, decoded in one pass: `&amp;lt;` is the text `&lt;`, never `<`. */
export function unescapeSlack(text: string): string {
  return text.replace(/&(lt|gt|amp);/g, (_m, name: string) =>
    name === 'lt' ? '<' : name === 'gt' ? '>' : '&',
  )
}

/** A piece of Slack markup as text: a link (with its address when the label is not the address), a name. */
type Markup =
  | { readonly kind: 'link'; readonly label: string; readonly url: string | undefined }
  | { readonly kind: 'text'; readonly text: string }

function readMarkup(inner: string, names: ReadonlyMap<string, string>): Markup {
  const bar = inner.indexOf('|')
  const target = bar < 0 ? inner : inner.slice(0, bar)
  const label = bar < 0 ? undefined : unescapeSlack(inner.slice(bar + 1))
  const user = USER.exec(inner)
  if (user !== null)
    return { kind: 'text', text: names.get(user[1] ?? '') ?? label?.replace(/^@/, '') ?? 'our team' }
  if (target.startsWith('#')) return { kind: 'text', text: `#${label ?? 'channel'}` }
  if (target.startsWith('!subteam^')) return { kind: 'text', text: label ?? '@team' }
  if (target.startsWith('!date^')) return { kind: 'text', text: label ?? '' }
  if (target.startsWith('!')) return { kind: 'text', text: `@${target.slice(1).split('^')[0] ?? ''}` }
  const url = unescapeSlack(target.replace(/^mailto:/i, ''))
  const shown = label ?? url
  // Slack links a typed `acme.com` as <http://acme.com|acme.com>: the customer reads what was typed.
  const bare = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/$/, '')
  return { kind: 'link', label: shown, url: [url, `${url}/`, bare].includes(shown) ? undefined : url }
}

/** The rendered text, and whether the next character starts a line (Discord reads `#` there as a heading). */
class Output {
  text = ''
  get atLineStart(): boolean {
    return this.text === '' || this.text.endsWith('\n')
  }
  push(piece: string): void {
    this.text += piece
  }
  /** Renders into this output, then hands back what was rendered and takes it out again. */
  capture(work: () => void): string {
    const start = this.text.length
    work()
    const piece = this.text.slice(start)
    this.text = this.text.slice(0, start)
    return piece
  }
}

const MARKS: Readonly<Record<Exclude<Flavour, 'plain'>, Readonly<Record<Style, string>>>> = {
  whatsapp: { bold: '*', italic: '_', strike: '~' },
  telegram: { bold: '*', italic: '_', strike: '~' },
  markdown: { bold: '**', italic: '_', strike: '~~' },
}

/** Discord's markdown signs, escaped where an agent wrote them as plain text. */
function escapeMarkdown(text: string, atLineStart: boolean): string {
  return text
    .replace(/[\\*_~`|]/g, '\\$&')
    .replace(/(^|\n)([ \t]*)([#>])/g, (m, nl: string, indent: string, sign: string) =>
      nl === '' && !atLineStart ? m : `${nl}${indent}\\${sign}`,
    )
}

function literal(text: string, flavour: Flavour, out: Output): string {
  return flavour === 'markdown' ? escapeMarkdown(text, out.atLineStart) : text
}

/** Code keeps its characters; only Slack's own markup inside it is read (a link is its address). */
function codeText(raw: string, names: ReadonlyMap<string, string>): string {
  return unescapeSlack(
    raw.replace(MARKUP_IN_CODE, (_m, inner: string) => {
      const markup = readMarkup(inner, names)
      return markup.kind === 'text' ? markup.text : (markup.url ?? markup.label)
    }),
  )
}

function render(
  nodes: readonly Inline<Atom>[],
  flavour: Flavour,
  names: ReadonlyMap<string, string>,
  out: Output,
): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out.push(literal(unescapeSlack(node.text), flavour, out))
        break
      case 'style': {
        const content = out.capture(() => render(node.children, flavour, names, out))
        if (content === '') break
        const mark = flavour === 'plain' ? '' : MARKS[flavour][node.style]
        out.push(`${mark}${content}${mark}`)
        break
      }
      case 'atom':
        renderAtom(node.atom, flavour, names, out)
        break
    }
  }
}

function renderAtom(atom: Atom, flavour: Flavour, names: ReadonlyMap<string, string>, out: Output): void {
  switch (atom.kind) {
    case 'code': {
      const text = codeText(atom.text, names)
      out.push(flavour === 'plain' ? text : `\`${text}\``)
      return
    }
    case 'pre': {
      const text = codeText(atom.text, names).replace(/^\n/, '').replace(/\n$/, '')
      if (flavour === 'plain') out.push(text)
      else if (flavour === 'markdown') out.push(`\`\`\`\n${text}\n\`\`\``)
      else out.push(`\`\`\`${text}\`\`\``)
      return
    }
    case 'markup': {
      const markup = readMarkup(atom.inner, names)
      if (markup.kind === 'text') out.push(literal(markup.text, flavour, out))
      else
        out.push(
          `${literal(markup.label, flavour, out)}${markup.url === undefined ? '' : ` (${markup.url})`}`,
        )
      return
    }
    case 'emoji': {
      const emoji = emojiOf(atom.name.toLowerCase(), atom.tone)
      out.push(emoji ?? literal(atom.raw, flavour, out))
      return
    }
    case 'quote':
      out.push('> ')
      return
    case 'bullet':
      out.push(flavour === 'whatsapp' || flavour === 'markdown' ? '- ' : `${atom.mark} `)
      return
  }
}
