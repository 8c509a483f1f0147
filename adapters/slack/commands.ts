import { DeskError } from '../../src/core/errors.js'
import type { Actor, HelpDesk, Origin } from '../../src/core/helpdesk.js'
import type { AgentStatus } from '../../src/core/lifecycle.js'
import { fromSlackText, parseMention, parseTicketNumber } from './text.js'

/** Where a command was typed: as a slash command anywhere, or as `!command` in a ticket's thread. */
export type Door = 'slash' | 'thread'

interface Command {
  /** Arguments after the ticket number, as the help shows them. */
  readonly args: string
  readonly summary: string
  run(
    desk: HelpDesk,
    actor: Actor,
    ticketId: number,
    rest: string,
    origin: Origin | undefined,
  ): Promise<string>
}

const statusCommand = (to: AgentStatus, summary: string): Command => ({
  args: '',
  summary,
  run: async (desk, actor, id, _rest, origin) => (await desk.setStatus(actor, id, to, origin)).text,
})

/** Every ticket command; slash commands and thread commands share this one table. */
export const COMMANDS = {
  reply: {
    args: 'TEXT',
    summary: 'send TEXT to the customer',
    run: async (desk, actor, id, rest, origin) =>
      (await desk.reply(actor, id, fromSlackText(rest), origin)).text,
  },
  note: {
    args: 'TEXT',
    summary: 'add a private note (never sent to the customer)',
    run: async (desk, actor, id, rest, origin) =>
      (await desk.note(actor, id, fromSlackText(rest), origin)).text,
  },
  assign: {
    args: '@user',
    summary: 'assign the ticket (supervisors and admins assign others)',
    async run(desk, actor, id, rest, origin) {
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
      return (await desk.assign(actor, id, user, origin)).text
    },
  },
  template: {
    args: 'NAME [param | param …]',
    summary: 'send an approved WhatsApp template (works outside the 24-hour window)',
    async run(desk, actor, id, rest, origin) {
      const [name = '', ...more] = rest.trim().split(/\s+/)
      if (name === '') throw new DeskError('invalid', 'Name the template to send.')
      const tail = fromSlackText(more.join(' ')).trim()
      const params = tail === '' ? [] : tail.split(tail.includes('|') ? '|' : /\s+/).map((p) => p.trim())
      return (await desk.sendTemplate(actor, id, { name, params }, origin)).text
    },
  },
  take: {
    args: '',
    summary: 'assign the ticket to yourself',
    run: async (desk, actor, id, _rest, origin) =>
      (await desk.assign(actor, id, actor.deskUserId, origin)).text,
  },
  resolve: statusCommand('solved', 'mark the ticket solved'),
  pending: statusCommand('pending', 'wait for the customer'),
  hold: statusCommand('on_hold', 'put on hold while waiting on another team'),
  reopen: statusCommand('open', 'open the ticket again'),
} satisfies Record<string, Command>

export type CommandName = keyof typeof COMMANDS

export const isCommandName = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name)

/** The help text for one door. */
export function helpText(door: Door): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => {
    const usage =
      door === 'slash' ? `/${name} 42${c.args ? ` ${c.args}` : ''}` : `!${name}${c.args ? ` ${c.args}` : ''}`
    return `• \`${usage}\` — ${c.summary}`
  })
  const intro =
    door === 'slash'
      ? '*Ticket commands* (work anywhere; 42 is the ticket number, `/ticket COMMAND 42 …` works too):'
      : "*Thread commands* (type them as a reply in the ticket's thread; they are never sent to the customer):"
  const outro =
    door === 'slash'
      ? '• `/ticket 42` — show a ticket and a link to its thread'
      : '• a plain reply goes to the customer; start with `note:` for a private note'
  return [intro, ...lines, outro].join('\n')
}

/** Why a command could not run and how to write it, as a DeskError. */
export function usageError(door: Door, name: CommandName, why: string): DeskError {
  const c = COMMANDS[name]
  const usage =
    door === 'slash' ? `/${name} 42${c.args ? ` ${c.args}` : ''}` : `!${name}${c.args ? ` ${c.args}` : ''}`
  return new DeskError('invalid', `${why} Usage: \`${usage}\``)
}

/**
 * Runs a slash command's text: `42 rest…` for a command named by the slash command itself.
 * Returns what to tell the agent.
 */
export async function runSlashCommand(
  desk: HelpDesk,
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
    desk,
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
  desk: HelpDesk,
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
  return COMMANDS[name].run(desk, actor, ticketId, match?.[2] ?? '', origin)
}
