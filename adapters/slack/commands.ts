import type { Channel } from '../../src/core/model.js'
import type { FileRef } from '../../src/core/ports.js'
import { DeskError } from '../../src/core/errors.js'
import type { Actor, HelpDesk, Origin } from '../../src/core/helpdesk.js'
import type { AgentStatus } from '../../src/core/lifecycle.js'
import type { CannedReplies } from '../../src/core/canned.js'
import type { HistoryLine, TicketFields } from '../../src/core/ticket-fields.js'
import type { ContactActions } from '../../src/core/contact-actions.js'
import { fromSlackText, parseMention, parseTicketNumber } from './text.js'
import { assignedText } from './answers.js'
import { noteBody } from './classify.js'
import { toPlatformText } from './to-platform-text.js'
import type { ChannelCatalog } from '../channel-module.js'
import { helpText } from './command-help.js'
import { isTicketCommandName, usageOf, type Door, type TicketCommandName } from './command-table.js'

/** The core services commands act through. */
export interface Core {
  readonly helpdesk: HelpDesk
  readonly fields: TicketFields
  readonly contacts: ContactActions
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

/**
 * Sends an agent's reply typed outside the thread (a command, the reply modal), with the files
 * attached to it: what it says is checked like a thread reply, and it is echoed into the thread.
 */
export async function sendReply(
  core: Core,
  actor: Actor,
  ticketId: number,
  raw: string,
  origin: Origin | undefined,
  files: readonly FileRef[] = [],
): Promise<string> {
  refuseNoteAsReply(ticketId, raw, core.noteMarkers)
  const text = raw.trim() === '' ? '' : await replyText(core, actor, ticketId, raw)
  return (await core.helpdesk.reply(actor, ticketId, text, origin, files)).text
}

/** How a ticket command runs; what it is called, takes and does is its row in command-table.ts. */
interface Command {
  run(core: Core, actor: Actor, ticketId: number, rest: string, origin: Origin | undefined): Promise<string>
}

const statusCommand = (to: AgentStatus): Command => ({
  run: async ({ helpdesk }, actor, id, _rest, origin) =>
    (await helpdesk.setStatus(actor, id, to, origin)).text,
})

/** How each ticket command of the table runs; slash commands and thread commands share them. */
export const COMMANDS = {
  reply: { run: (core, actor, id, rest, origin) => sendReply(core, actor, id, rest, origin) },
  note: {
    run: async ({ helpdesk, noteMarkers }, actor, id, rest, origin) =>
      (await helpdesk.note(actor, id, fromSlackText(noteBody(rest, noteMarkers) ?? rest), origin)).text,
  },
  assign: {
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
      return assignedText(actor, await helpdesk.assign(actor, id, user, origin))
    },
  },
  template: {
    async run({ helpdesk }, actor, id, rest, origin) {
      const [name = '', ...more] = rest.trim().split(/\s+/)
      if (name === '') throw new DeskError('invalid', 'Name the template to send.')
      const tail = fromSlackText(more.join(' ')).trim()
      const params = tail === '' ? [] : tail.split(tail.includes('|') ? '|' : /\s+/).map((p) => p.trim())
      return (await helpdesk.sendTemplate(actor, id, { name, params }, origin)).text
    },
  },
  take: {
    run: async ({ helpdesk }, actor, id, _rest, origin) =>
      assignedText(actor, await helpdesk.assign(actor, id, actor.deskUserId, origin)),
  },
  resolve: statusCommand('solved'),
  pending: statusCommand('pending'),
  hold: statusCommand('on_hold'),
  reopen: statusCommand('open'),
  priority: {
    run: ({ fields }, actor, id, rest, origin) => fields.setPriority(actor, id, rest, origin),
  },
  type: {
    run: ({ fields }, actor, id, rest, origin) => fields.setType(actor, id, rest, origin),
  },
  tag: {
    run({ fields }, actor, id, rest, origin) {
      const words = rest.trim().split(/\s+/).filter(Boolean)
      const add = words.filter((w) => !w.startsWith('-')).map((w) => w.replace(/^\+/, '').toLowerCase())
      const remove = words.filter((w) => w.startsWith('-')).map((w) => w.slice(1).toLowerCase())
      return fields.tag(actor, id, add, remove, origin)
    },
  },
  topic: {
    run: ({ fields }, actor, id, rest, origin) => fields.setTopic(actor, id, fromSlackText(rest), origin),
  },
  history: {
    run: async ({ fields }, _actor, id) => historyText(id, await fields.history(id)),
  },
  block: { run: ({ contacts }, actor, id, _rest, origin) => contacts.block(actor, id, origin) },
  unblock: { run: ({ contacts }, actor, id, _rest, origin) => contacts.unblock(actor, id, origin) },
  allow: { run: ({ contacts }, actor, id, _rest, origin) => contacts.allow(actor, id, origin) },
} satisfies Record<TicketCommandName, Command>

/** Why a command could not run and how to write it, as a DeskError. */
export function usageError(door: Door, name: TicketCommandName, why: string): DeskError {
  return new DeskError('invalid', `${why} Usage: \`${usageOf(name, door)}\``)
}

/**
 * Runs a slash command's text: `42 rest…` for a command named by the slash command itself.
 * Returns what to tell the agent.
 */
export async function runSlashCommand(
  core: Core,
  actor: Actor,
  name: TicketCommandName,
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
  if (!isTicketCommandName(name)) {
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
    case 'contact_blocked':
      return 'blocked the contact'
    case 'contact_unblocked':
      return 'unblocked the contact'
    case 'contact_allowed':
      return 'let the contact open tickets'
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
