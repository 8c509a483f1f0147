import type { MessageEntity } from 'grammy/types'
import { parseEmphasis, type Inline, type Unit } from '../shared/emphasis.js'

/**
 * Our outgoing text (`*bold*`, `_italic_`, `~strike~`, `` `code` ``, ```` ```block``` ````, as the
 * Slack desk writes it for Telegram) as Telegram's plain text plus message entities. Entities and no
 * parse_mode: no character of the text has to be escaped, so no text can make sendMessage fail to
 * parse. Offsets count UTF-16 code units, as Telegram's do. Pure.
 */
export function toTelegramMessage(text: string): { text: string; entities: MessageEntity[] } {
  const out = { text: '', entities: [] as MessageEntity[] }
  write(parseEmphasis(tokenize(text)), out)
  out.entities.sort((a, b) => a.offset - b.offset || b.length - a.length)
  return out
}

type Atom = { readonly kind: 'code' | 'pre' | 'url'; readonly text: string }

/** Code, and web addresses: the parser must not read `_` in `https://x.com/a_b_` as italics. */
const TOKEN = /```([\s\S]*?)```|`([^`\n]+)`|((?:https?|ftp):\/\/\S+|www\.\S+)/iy

function tokenize(text: string): Unit<Atom>[] {
  const units: Unit<Atom>[] = []
  let i = 0
  while (i < text.length) {
    TOKEN.lastIndex = i
    const token = TOKEN.exec(text)
    if (token === null) {
      const ch = String.fromCodePoint(text.codePointAt(i) ?? 0)
      units.push(ch)
      i += ch.length
      continue
    }
    const [, pre, code, url] = token
    if (pre !== undefined) units.push({ atom: { kind: 'pre', text: pre.replace(/^\n/, '') } })
    else if (code !== undefined) units.push({ atom: { kind: 'code', text: code } })
    else {
      // Punctuation after an address ends a sentence or a span (`(see https://x.com/a)*`), not the address.
      const address = trimAddress(url ?? '')
      units.push({ atom: { kind: 'url', text: address } })
      i += address.length
      continue
    }
    i = TOKEN.lastIndex
  }
  return units
}

function trimAddress(url: string): string {
  let end = url.length
  while (end > 1) {
    const last = url.charAt(end - 1)
    const kept = url.slice(0, end)
    const unbalanced = last === ')' && kept.split(')').length > kept.split('(').length
    if (!'*_~.,;:!?\'"]`'.includes(last) && !unbalanced) break
    end--
  }
  return url.slice(0, end)
}

const ENTITY = { bold: 'bold', italic: 'italic', strike: 'strikethrough' } as const

function write(nodes: readonly Inline<Atom>[], out: { text: string; entities: MessageEntity[] }): void {
  for (const node of nodes) {
    const offset = out.text.length
    if (node.kind === 'text') {
      out.text += node.text
      continue
    }
    if (node.kind === 'style') {
      write(node.children, out)
      const length = out.text.length - offset
      if (length > 0) out.entities.push({ type: ENTITY[node.style], offset, length })
      continue
    }
    out.text += node.atom.text
    const length = node.atom.text.length
    if (node.atom.kind !== 'url' && length > 0) out.entities.push({ type: node.atom.kind, offset, length })
  }
}
