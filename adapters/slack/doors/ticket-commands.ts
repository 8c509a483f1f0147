import type { App } from '@slack/bolt'
import type { WebClient } from '@slack/web-api'
import type { Actor } from '../../../src/core/helpdesk.js'
import { statusLabel } from '../../../src/core/model.js'
import { runSlashCommand } from '../commands.js'
import { helpText } from '../command-help.js'
import { slashNameOf, TICKET_COMMAND_NAMES, ticketCommandNamed, type SlashName } from '../command-table.js'
import { call } from '../errors.js'
import { escapeText, parseTicketNumber } from '../text.js'
import type { DoorContext } from './context.js'

/** Every ticket command as a slash command, plus /ticket, which names the command as a word. */
const SLASH_COMMANDS = [...TICKET_COMMAND_NAMES.map(slashNameOf), 'ticket' satisfies SlashName]

/**
 * Door 2, anywhere: slash commands with the ticket number (`/resolve 42`, `/ticket 42 assign @x`),
 * answered ephemerally; `/ticket 42` alone describes the ticket and links to its thread.
 */
export function registerTicketCommands(app: App, ctx: DoorContext): void {
  const { attempt } = ctx

  app.command(new RegExp(`^/(${SLASH_COMMANDS.join('|')})$`), async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    let name = command.command.slice(1)
    let text = command.text
    if (name === 'ticket') {
      const [sub = 'help', ...rest] = text.trim().split(/\s+/)
      const shown = parseTicketNumber(sub)
      if (sub === '' || sub === 'help') {
        await ack({ response_type: 'ephemeral', text: helpText('slash') })
        return
      }
      if (shown !== undefined) {
        await ack({
          response_type: 'ephemeral',
          text: (await attempt(() => describeTicket(ctx, app.client, shown))) ?? '',
        })
        return
      }
      name = sub.toLowerCase()
      text = rest.join(' ')
    }
    const ticketCommand = ticketCommandNamed(name)
    if (ticketCommand === undefined) {
      await ack({
        response_type: 'ephemeral',
        text: `:warning: \`${name}\` is not a command.\n${helpText('slash')}`,
      })
      return
    }
    const answer = await attempt(() => runSlashCommand(ctx.core, actor, ticketCommand, text))
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })
}

/** One line about a ticket, with a link to its thread when it has one. */
async function describeTicket(ctx: DoorContext, client: WebClient, id: number): Promise<string> {
  const t = await ctx.helpdesk.view(id)
  const assignee = t.assignee === null ? 'unassigned' : `<@${t.assignee}>`
  let link = ''
  if (t.thread !== null) {
    const { thread } = t
    const res = await call('chat.getPermalink', () =>
      client.chat.getPermalink({ channel: thread.channel, message_ts: thread.ts }),
    )
    link = res.permalink === undefined ? '' : `\n<${res.permalink}|Open the thread>`
  }
  return `*#${t.id}* · ${ctx.channels.labelOf(t.channel)} · ${escapeText(t.customer.name)} · ${statusLabel[t.status]} · ${assignee}\n>${escapeText(t.subject)}${link}`
}
