import type { Channel } from '../../src/core/model.js'
import { DeskError } from '../../src/core/errors.js'
import type { Actor, HelpDesk, Origin } from '../../src/core/helpdesk.js'
import type { AgentStatus } from '../../src/core/lifecycle.js'
import type { CannedReplies } from '../../src/core/canned.js'
import type { HistoryLine, TicketFields } from '../../src/core/ticket-fields.js'
import { fromSlackText, parseMention, parseTicketNumber } from './text.js'
import { noteBody } from './classify.js'
import { toPlatformText } from './to-platform-text.js'
import type { ChannelCatalog } from '../channel-module.js'

/** Where a command was typed: as a slash command anywhere, or as `!command` in a ticket's thread. */
export type Door = 'slash' | 'thread'

/** The core services commands act through. */
export interface Core {
  readonly helpdesk: HelpDesk
  readonly fields: TicketFields
  readonly canned: CannedReplies
  /** The name customers see for an agent ({{agent.name}}). */
  agentName(deskUserId: string): Promise<string>
  /** The markers that keep a message private: `/reply` refuses text that starts with one. */
  readonly noteMarkers: readonly string[]
  readonly channels: ChannelCatalog
}

/**
 * What an agent's reply sends: a canned reply when it is just `:NAME`, else the text as the
 * customer should read it on the ticket's channel. An unknown canned reply or variable is an error,
 * and nothing is sent.
 */
export async function replyText(
  core: Core,
  actor: Actor,
  ticketId: number,
  raw: string,
  channel?: Channel,
): Promise<string> {
  const canned = /^:([a-z0-9][a-z0-9_-]*)$/i.exec(raw.trim())
  if (canned?.[1] === undefined) return platformTextOf(core, ticketId, raw, channel)
  return core.canned.render(canned[1], ticketId, await core.agentName(actor.deskUserId))
}

/** An agent's Slack text as the ticket's platform writes it; `channel` when the caller knows it already. */
export async function platformTextOf(
  core: Core,
  ticketId: number,
  raw: string,
  channel?: Channel,
): Promise<string> {
  const flavour = core.channels.flavourOf(channel ?? (await core.helpdesk.view(ticketId)).channel)
  return toPlatformText(raw, flavour, (userId) => core.agentName(userId))
}

/** `/reply 42 note: …` is a note typed into the wrong command: nothing of it may reach the customer. */
function refuseNoteAsReply(ticketId: number, text: string, markers: readonly string[]): void {
  if (noteBody(text, markers) === undefined) return
  throw new DeskError(
    'invalid',
    `Did you mean a note? This reply starts like a private note, so nothing was sent to the customer. ` +
      `Add it as a note with \`/note ${ticketId} …\` (or \`!note …\` in the thread), or reword its start to send it.`,
  )
}

interface Command {
  /** Arguments after the ticket number, as the help shows them. */
  readonly args: string
  readonly summary: string
  run(core: Core, actor: Actor, ticketId: number, rest: string, origin: Origin | undefined): Promise<string>
}

const statusCommand = (to: AgentStatus, summary: string): Command => ({
  args: '',
  summary,
  run: async ({ helpdesk }, actor, id, _rest, origin) =>
    (await helpdesk.setStatus(actor, id, to, origin)).text,
})

/** Every ticket command; slash commands and thread commands share this one table. */
export const COMMANDS = {
  reply: {
    args: 'TEXT|:CANNED',
    summary: 'send TEXT, or a canned reply, to the customer',
    async run(core, actor, id, rest, origin) {
      refuseNoteAsReply(id, rest, core.noteMarkers)
      return (await core.helpdesk.reply(actor, id, await replyText(core, actor, id, rest), origin)).text
    },
  },
  note: {
    args: 'TEXT',
    summary: 'add a private note (never sent to the customer)',
    run: async ({ helpdesk, noteMarkers }, actor, id, rest, origin) =>
      (await helpdesk.note(actor, id, fromSlackText(noteBody(rest, noteMarkers) ?? rest), origin)).text,
  },
  assign: {
    args: '@user',
    summary: 'assign the ticket (supervisors and admins assign others)',
    async run({ helpdesk }, actor, id, rest, origin) {
      const token = rest.trim()
      const user = parseMention(token)
      if (user === undefined) {
        throw new DeskError(
          'invalid',
          token === ''
            ? 'Say whom to assign: `@user`.'
            : `\`${token}\` is not a linked mention: pick the person from Slack's @ list.`,
        )
      }
      return (await helpdesk.assign(actor, id, user, origin)).text
    },
  },
  template: {
    args: 'NAME [param | param …]',
    summary: 'send an approved WhatsApp template (works outside the 24-hour window)',
    async run({ helpdesk }, actor, id, rest, origin) {
      const [name = '', ...more] = rest.trim().split(/\s+/)
      if (name === '') throw new DeskError('invalid', 'Name the template to send.')
      const tail = fromSlackText(more.join(' ')).trim()
      const params = tail === '' ? [] : tail.split(tail.includes('|') ? '|' : /\s+/).map((p) => p.trim())
      return (await helpdesk.sendTemplate(actor, id, { name, params }, origin)).text
    },
  },
  take: {
    args: '',
    summary: 'assign the ticket to yourself',
    run: async ({ helpdesk }, actor, id, _rest, origin) =>
      (await helpdesk.assign(actor, id, actor.deskUserId, origin)).text,
  },
  resolve: statusCommand('solved', 'mark the ticket solved'),
  pending: statusCommand('pending', 'wait for the customer'),
  hold: statusCommand('on_hold', 'put on hold while waiting on another team'),
  reopen: statusCommand('open', 'open the ticket again'),
  priority: {
    args: 'low|normal|high|urgent',
    summary: 'set the priority (it sets the SLA targets)',
    run: ({ fields }, actor, id, rest, origin) => fields.setPriority(actor, id, rest, origin),
  },
  type: {
    args: 'TYPE',
    summary: 'set the ticket type',
    run: ({ fields }, actor, id, rest, origin) => fields.setType(actor, id, rest, origin),
  },
  tag: {
    args: '+tag -tag …',
    summary: 'add and remove tags',
    run({ fields }, actor, id, rest, origin) {
      const words = rest.trim().split(/\s+/).filter(Boolean)
      const add = words.filter((w) => !w.startsWith('-')).map((w) => w.replace(/^\+/, '').toLowerCase())
      const remove = words.filter((w) => w.startsWith('-')).map((w) => w.slice(1).toLowerCase())
      return fields.tag(actor, id, add, remove, origin)
    },
  },
  topic: {
    args: 'TEXT',
    summary: 'set the topic (empty clears it)',
    run: ({ fields }, actor, id, rest, origin) => fields.setTopic(actor, id, fromSlackText(rest), origin),
  },
  history: {
    args: '',
    summary: "show the ticket's history: who changed what, from what, to what, when",
    run: async ({ fields }, _actor, id) => historyText(id, await fields.history(id)),
  },
} satisfies Record<string, Command>

export type CommandName = keyof typeof COMMANDS

export const isCommandName = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name)

/**
 * Slash commands that cannot carry their command's name: Slack's built-in commands (`/topic`, `/status`,
 * …) take precedence over an app's, so ours would never be called.
 */
const SLASH_NAME: Partial<Record<CommandName, string>> = { topic: 'settopic' }

/** The slash command of a ticket command, without its `/`. */
export const slashNameOf = (name: CommandName): string => SLASH_NAME[name] ?? name

/** The ticket command a word names: its own name (`/ticket topic 42`) or its slash command's (`settopic`). */
export function commandNamed(word: string): CommandName | undefined {
  if (isCommandName(word)) return word
  return (Object.keys(COMMANDS) as CommandName[]).find((name) => slashNameOf(name) === word)
}

/** The help text for one door. */
export function helpText(door: Door): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => {
    const usage =
      door === 'slash'
        ? `/${slashNameOf(name as CommandName)} 42${c.args ? ` ${c.args}` : ''}`
        : `!${name}${c.args ? ` ${c.args}` : ''}`
    return `• \`${usage}\` — ${c.summary}`
  })
  const intro =
    door === 'slash'
      ? '*Ticket commands* (work anywhere; 42 is the ticket number, `/ticket COMMAND 42 …` works too):'
      : "*Thread commands* (type them as a reply in the ticket's thread; they are never sent to the customer):"
  const outro =
    door === 'slash'
      ? '• `/ticket 42` — show a ticket and a link to its thread'
      : '• a plain reply goes to the customer; start with `note:` for a private note, or with an @mention to talk to a colleague'
  return [intro, ...lines, outro].join('\n')
}

/** Why a command could not run and how to write it, as a DeskError. */
export function usageError(door: Door, name: CommandName, why: string): DeskError {
  const c = COMMANDS[name]
  const usage =
    door === 'slash'
      ? `/${slashNameOf(name)} 42${c.args ? ` ${c.args}` : ''}`
      : `!${name}${c.args ? ` ${c.args}` : ''}`
  return new DeskError('invalid', `${why} Usage: \`${usage}\``)
}

/**
 * Runs a slash command's text: `42 rest…` for a command named by the slash command itself.
 * Returns what to tell the agent.
 */
export async function runSlashCommand(
  core: Core,
  actor: Actor,
  name: CommandName,
  text: string,
): Promise<string> {
  const [first] = text.trim().split(/\s+/)
  const ticketId = parseTicketNumber(first)
  if (ticketId === undefined) {
    throw usageError('slash', name, first ? `\`${first}\` is not a ticket number.` : 'Which ticket?')
  }
  return COMMANDS[name].run(
    core,
    actor,
    ticketId,
    text
      .trim()
      .slice(first?.length ?? 0)
      .trim(),
    undefined,
  )
}

/** Runs `!name rest` typed in the thread of a ticket. */
export async function runThreadCommand(
  core: Core,
  actor: Actor,
  ticketId: number,
  line: string,
  origin: Origin,
): Promise<string> {
  const match = /^!(\w+)\s*([\s\S]*)$/.exec(line.trim())
  const name = match?.[1]?.toLowerCase() ?? ''
  if (name === 'help') return helpText('thread')
  if (!isCommandName(name)) {
    throw new DeskError(
      'invalid',
      `\`!${name}\` is not a command, so nothing was sent to the customer. Type \`!help\` for the list.`,
    )
  }
  return COMMANDS[name].run(core, actor, ticketId, match?.[2] ?? '', origin)
}

const slackDate = (d: Date) =>
  `<!date^${Math.floor(d.getTime() / 1000)}^{date_short} {time}|${d.toISOString()}>`

function describeLine(line: HistoryLine): string {
  const from = line.from ?? 'none'
  const to = line.to ?? 'none'
  switch (line.action) {
    case 'created':
      return line.from === null ? 'opened the ticket' : `opened the ticket (${line.from})`
    case 'status':
    case 'priority':
    case 'type':
    case 'topic':
      return `${line.action}: ${from} → ${to}`
    case 'assigned':
      return `assigned: ${line.from === null ? 'nobody' : `<@${line.from}>`} → <@${to}>`
    case 'tag':
      return line.to === null ? `removed tag \`${from}\`` : `added tag \`${to}\``
    case 'replied':
      return 'replied to the customer'
    case 'noted':
      return 'added a private note'
    case 'delivery_failed':
      return `a message was not delivered: ${to}`
    case 'sla_warning':
    case 'sla_breach':
      return `${line.action === 'sla_warning' ? 'SLA warning' : 'SLA breach'}: ${(line.to ?? '').split('@')[0]?.replace('_', ' ')}`
    case 'after_hours_reply':
      return 'told the customer the team is away'
    case 'pending_reminder':
      return 'reminded the customer'
    default:
      return `${line.action}${line.to === null ? '' : `: ${to}`}`
  }
}

/** A ticket's audit log for Slack: when, who, what changed from what to what. */
export function historyText(ticketId: number, lines: readonly HistoryLine[]): string {
  const who = (l: HistoryLine) =>
    l.agent !== null ? `<@${l.agent}>` : l.actor === 'customer' ? 'customer' : 'threaddesk'
  const body = lines.map((l) => `• ${slackDate(l.at)} · ${who(l)} · ${describeLine(l)}`)
  return [`*History of #${ticketId}*`, ...body].join('\n')
}
