import type { KnownBlock } from '@slack/types'
import { PRIORITIES, statusLabel, type MessageKind, type Priority } from '../../src/core/model.js'
import type { ThreadEntry, TicketView } from '../../src/core/ports.js'
import { readFact } from '../../src/core/ticket-facts.js'
import { factText } from './facts-text.js'
import { escapeText } from './text.js'
import { splitText } from '../../src/core/split-text.js'
import type { LabelOf } from '../channel-module.js'

/** Action ids of the root message's buttons; each button's value is the ticket number. */
export const ACTION = {
  take: 'td_take',
  resolve: 'td_resolve',
  pending: 'td_pending',
  reopen: 'td_reopen',
  note: 'td_note',
  priority: 'td_priority',
  type: 'td_type',
  canned: 'td_canned',
  bulkConfirm: 'td_bulk_confirm',
  bulkCancel: 'td_bulk_cancel',
} as const

const statusEmoji = {
  new: ':new:',
  open: ':large_blue_circle:',
  pending: ':hourglass_flowing_sand:',
  on_hold: ':double_vertical_bar:',
  solved: ':white_check_mark:',
  closed: ':lock:',
} as const

const button = (text: string, actionId: string, value: string, style?: 'primary') => ({
  type: 'button' as const,
  text: { type: 'plain_text' as const, text },
  action_id: actionId,
  value,
  ...(style !== undefined && { style }),
})

export interface SlackPost {
  readonly text: string
  readonly blocks?: KnownBlock[]
  readonly username?: string
  readonly icon_url?: string
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
const priorityEmoji: Record<Priority, string> = {
  low: '',
  normal: '',
  high: ':small_orange_diamond: ',
  urgent: ':red_circle: ',
}
const priorityLabel = (p: Priority) => `${priorityEmoji[p]}${capitalize(p)}`

/** A select on the root message, showing the ticket's current value. */
function picker(
  actionId: string,
  placeholder: string,
  choices: readonly (readonly [string, string])[],
  current: string | null,
) {
  const options = choices.map(([value, text]) => ({ text: { type: 'plain_text' as const, text }, value }))
  const select = {
    type: 'static_select' as const,
    action_id: actionId,
    placeholder: { type: 'plain_text' as const, text: placeholder },
    options,
  }
  const initial = options.find((o) => o.value === current)
  return initial === undefined ? select : { ...select, initial_option: initial }
}

const slackDate = (d: Date) =>
  `<!date^${Math.floor(d.getTime() / 1000)}^{date_short_pretty} {time}|${d.toISOString()}>`

function slaText(sla: NonNullable<TicketView['sla']>): string {
  if (sla.breached) return `:rotating_light: ${sla.label} breached`
  if (sla.paused || sla.dueAt === null) return `:double_vertical_bar: ${sla.label} paused`
  return `:hourglass_flowing_sand: ${sla.label} due ${slackDate(sla.dueAt)}`
}

/**
 * Outside text as a block shows it: cut to `max` characters (so no block passes Slack's 3,000),
 * then escaped. Cutting first never splits an escape like `&amp;`.
 */
function shown(text: string, max: number): string {
  return escapeText(text.length > max ? `${[...text].slice(0, max - 1).join('')}…` : text)
}

/** The most text Slack takes in one section block. */
const MAX_SECTION = 3_000
/** The most sections of a root message the customer's first message may take: the rest is small. */
const MAX_OPENING_SECTIONS = 2

/**
 * Outside text cut into pieces that are each at most `max` characters once escaped, cut where
 * splitText cuts (after a line, else a word), never inside an escape. The pieces joined are the
 * escaped text.
 */
export function escapedPieces(raw: string, max: number, rawMax = max): string[] {
  return splitText(raw, rawMax).flatMap((piece) => {
    const shown = escapeText(piece)
    // Escaping lengthens `&`, `<` and `>`: cut such a piece shorter, until it fits.
    return shown.length <= max || rawMax <= 2
      ? [shown]
      : escapedPieces(piece, max, Math.max(2, Math.floor(rawMax / 2)))
  })
}

/** The customer's first message as sections of the root, escaped as entries are; undefined when it does not fit. */
function openingSections(opening: NonNullable<TicketView['opening']>): string[] | undefined {
  const tag = opening.kind === 'text' ? '' : kindTag(opening.kind)
  const pieces = opening.text === '' ? [''] : escapedPieces(opening.text, MAX_SECTION - tag.length - 1)
  const first = [tag, pieces[0] ?? ''].filter((p) => p !== '').join(' ')
  if (first === '' || pieces.length > MAX_OPENING_SECTIONS) return undefined
  return [first, ...pieces.slice(1)]
}

/** Whether a root message shows the customer's first message it is given (a long one needs a post of its own). */
export const showsOpening = (opening: TicketView['opening']): boolean =>
  opening !== undefined && openingSections(opening) !== undefined

/**
 * The ticket's root message: what it is, where it stands, and the buttons to work it; with the
 * customer's first message when it is given and fits, in place of the subject.
 */
export function rootMessage(t: TicketView, types: readonly string[], labelOf: LabelOf): SlackPost {
  const number = String(t.id)
  const customer =
    shown(t.customer.name, 200) + (t.customer.username ? ` (@${shown(t.customer.username, 100)})` : '')
  const followUp = t.followUpOf === null ? '' : ` · follow-up of #${t.followUpOf}`
  const assignee = t.assignee === null ? '_Unassigned_' : `<@${t.assignee}>`

  const actions =
    t.status === 'closed'
      ? []
      : t.status === 'solved'
        ? [button('Reopen', ACTION.reopen, number)]
        : [
            button('Assign to me', ACTION.take, number, t.assignee === null ? 'primary' : undefined),
            button('Resolve', ACTION.resolve, number),
            ...(t.status === 'pending' ? [] : [button('Pending', ACTION.pending, number)]),
            button('Note', ACTION.note, number),
            button('Canned reply', ACTION.canned, number),
          ]

  const opening = t.opening === undefined ? undefined : openingSections(t.opening)
  const title = `${statusEmoji[t.status]} *#${number}* · ${labelOf(t.channel)} · *${customer}*${followUp}`
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: opening === undefined ? `${title}\n>${escapeText(t.subject)}` : title },
    },
    ...(opening ?? []).map((text, i): KnownBlock => ({
      type: 'section',
      block_id: `opening_${i + 1}`,
      text: { type: 'mrkdwn', text },
    })),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Status*\n${statusLabel[t.status]}` },
        { type: 'mrkdwn', text: `*Assignee*\n${assignee}` },
        { type: 'mrkdwn', text: `*Priority*\n${priorityLabel(t.priority)}` },
        ...(t.type === null ? [] : [{ type: 'mrkdwn' as const, text: `*Type*\n${capitalize(t.type)}` }]),
        ...(t.sla === undefined ? [] : [{ type: 'mrkdwn' as const, text: `*SLA*\n${slaText(t.sla)}` }]),
      ],
    },
  ]
  const info = t.customerInfo
  if (info !== undefined) {
    const text =
      'unavailable' in info
        ? `_Customer info unavailable: ${shown(info.unavailable, 300)}_`
        : info.fields
            .map(([k, v]) => `*${shown(capitalize(k.replace(/_/g, ' ')), 60)}:* ${shown(v, 200)}`)
            .join('  ·  ')
    if (text !== '') blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text }] })
  }
  const about = [
    ...(t.topic === null ? [] : [`*Topic:* ${shown(t.topic, 300)}`]),
    ...(t.tags.length === 0 ? [] : [`*Tags:* ${t.tags.map((tag) => `\`${tag}\``).join(' ')}`]),
    ...(t.answers ?? []).map(
      ([k, v]) => `*${shown(capitalize(k.replace(/_/g, ' ')), 60)}:* ${shown(v, 200)}`,
    ),
    ...(t.customerBlocked === true ? [':no_entry: *Customer blocked*'] : []),
  ]
  if (about.length > 0)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: about.join('  ·  ') }] })
  if (actions.length > 0) {
    const priority = picker(
      ACTION.priority,
      'Priority',
      PRIORITIES.map((p) => [p, priorityLabel(p)] as const),
      t.priority,
    )
    const type = picker(
      ACTION.type,
      'Type',
      types.map((k) => [k, capitalize(k)] as const),
      t.type,
    )
    blocks.push({ type: 'actions', block_id: `ticket_${number}`, elements: [...actions, priority, type] })
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Opened ${slackDate(t.createdAt)} · reply in this thread to answer the customer · \`note:\` for a private note · \`!help\` for commands`,
      },
    ],
  })
  return {
    // The fallback shows in notifications and is mrkdwn too: customer text stays escaped here as well.
    text: `#${number} ${statusLabel[t.status]} · ${labelOf(t.channel)} · ${escapeText(t.customer.name)}: ${escapeText(t.subject)}`,
    blocks,
  }
}

const kindLabel: Record<MessageKind, string> = {
  text: 'text',
  photo: 'photo',
  video: 'video',
  voice: 'voice message',
  audio: 'audio',
  document: 'file',
  sticker: 'sticker',
  animation: 'GIF',
  location: 'location',
  contact: 'contact card',
  poll: 'poll',
  choice: 'chose',
  reaction: 'reaction',
  share: 'shared a post',
  story_reply: 'replied to your story',
  story_mention: 'mentioned you in a story',
  edit: 'edited a message',
  unsend: 'unsent a message',
  template: 'template',
  start: 'conversation start',
  other: 'unsupported message',
}

const kindTag = (kind: MessageKind) => `_[${kindLabel[kind]}]_`

function body(entry: ThreadEntry): string {
  const text = escapeText(entry.text)
  const files = entry.files === undefined ? '' : `:paperclip: ${entry.files.map(escapeText).join(', ')}`
  const words = entry.kind === 'text' ? text : `${kindTag(entry.kind)}${text === '' ? '' : ` ${text}`}`
  return [words, files].filter((part) => part !== '').join('\n')
}

/** The name and picture a customer's message is posted under, so the thread reads as the conversation it is. */
function asCustomer(t: TicketView, labelOf: LabelOf): Pick<SlackPost, 'username' | 'icon_url'> {
  return {
    username: `${t.customer.name} (${labelOf(t.channel)})`,
    ...(t.customer.avatarUrl !== null && { icon_url: t.customer.avatarUrl }),
  }
}

/**
 * The line an entry starts with, saying who wrote it and where it went; none for a system line. A
 * customer's message is posted under their name instead, so it has one only among others' entries.
 */
function heading(t: TicketView, entry: ThreadEntry, labelOf: LabelOf): string | undefined {
  switch (entry.direction) {
    case 'inbound':
      return `:bust_in_silhouette: *${shown(t.customer.name, 200)} (${labelOf(t.channel)}):*`
    case 'outbound':
      return entry.author === null
        ? ':robot_face: *Automatic reply sent:*'
        : `:outbox_tray: *Reply by <@${entry.author}>, sent to the customer:*`
    case 'note':
      return `:lock: *Private note by <@${entry.author ?? 'unknown'}>:*`
    case 'system':
      return undefined
  }
}

/**
 * One entry of a ticket's thread: a customer's message, a reply sent elsewhere, a note, a system
 * line; `when` writes a time as the team reads it.
 */
export function threadEntry(
  t: TicketView,
  entry: ThreadEntry,
  labelOf: LabelOf,
  when: (at: Date) => string,
): SlackPost {
  switch (entry.direction) {
    case 'inbound':
      return { text: body(entry), ...asCustomer(t, labelOf) }
    case 'outbound':
    case 'note':
      return { text: `${heading(t, entry, labelOf)}\n${body(entry)}` }
    case 'system': {
      // A line stored before system lines were facts holds its words already.
      const fact = readFact(entry.text)
      return { text: fact === undefined ? entry.text : factText(t.id, fact, labelOf, when) }
    }
  }
}

/** Slack's limits on one message besides a section's text: its blocks, and its (fallback) text. */
const MAX_BLOCKS = 50
const MAX_TEXT = 40_000
/**
 * The text all blocks of one message may hold together. Slack answers msg_blocks_too_long near
 * 12,000 characters, though its pages name no such limit (slackapi/bolt-js#2509, #2867): stay under.
 */
const MAX_BLOCKS_TEXT = 10_000

/**
 * An entry as sections of a post that holds several: its heading when `headed`, and its text cut
 * into sections Slack takes; undefined when it cannot be shown that way (a system line too long, an
 * empty text).
 */
function entrySections(
  t: TicketView,
  entry: ThreadEntry,
  labelOf: LabelOf,
  when: (at: Date) => string,
  headed: boolean,
): string[] | undefined {
  if (entry.direction === 'system') {
    const line = threadEntry(t, entry, labelOf, when).text
    return line.length <= MAX_SECTION ? [line] : undefined
  }
  const head = headed ? heading(t, entry, labelOf) : undefined
  const tag = entry.kind === 'text' ? '' : kindTag(entry.kind)
  const room = MAX_SECTION - (head?.length ?? 0) - tag.length - 2
  const pieces = entry.text === '' ? [''] : escapedPieces(entry.text, room)
  const first = [tag, pieces[0] ?? ''].filter((p) => p !== '').join(' ')
  const opening = head === undefined ? first : `${head}\n${first}`
  return opening === '' ? undefined : [opening, ...pieces.slice(1)]
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } })

/**
 * Several entries of a thread as one post, in order, each shown as it would be alone: as many from
 * the first as one Slack message holds, and `count` says how many. Only a customer's messages are
 * posted under their name; among others' entries each starts with who wrote it. When fewer than two
 * fit, the first is posted alone, the usual way.
 */
export function threadEntries(
  t: TicketView,
  entries: readonly ThreadEntry[],
  labelOf: LabelOf,
  when: (at: Date) => string,
): { post: SlackPost; count: number } {
  const first = entries[0]
  if (first === undefined) throw new RangeError('a post needs at least one entry')
  const taken: ThreadEntry[] = []
  let blocks = 0
  let blockText = 0
  for (const entry of entries) {
    // Measured with its heading: shown without it, it only takes less.
    const sections = entrySections(t, entry, labelOf, when, true)
    if (sections === undefined) break
    const size = sections.reduce((n, s) => n + s.length, 0)
    if (blocks + sections.length > MAX_BLOCKS || blockText + size > MAX_BLOCKS_TEXT) break
    // The fallback text holds every entry too, two characters apart.
    if (blockText + size + 2 * taken.length > MAX_TEXT) break
    taken.push(entry)
    blocks += sections.length
    blockText += size
  }
  if (taken.length < 2) return { post: threadEntry(t, first, labelOf, when), count: 1 }
  const customerOnly = taken.every((e) => e.direction === 'inbound')
  const shownEntries = taken.map((e) => entrySections(t, e, labelOf, when, !customerOnly) ?? [])
  const post: SlackPost = {
    // Notifications and search read the fallback: the same words as the blocks.
    text: shownEntries.map((sections) => sections.join('')).join('\n\n'),
    blocks: shownEntries.flat().map(section),
  }
  return { post: customerOnly ? { ...post, ...asCustomer(t, labelOf) } : post, count: taken.length }
}
