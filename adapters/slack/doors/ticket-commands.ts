import type { App } from '@slack/bolt'
import type { WebClient } from '@slack/web-api'
import type { Actor } from '../../../src/core/helpdesk.js'
import { statusLabel } from '../../../src/core/model.js'
import { runSlashCommand } from '../commands.js'
import { helpText } from '../command-help.js'
import { slashNameOf, TICKET_COMMAND_NAMES, ticketCommandNamed, type SlashName } from '../command-table.js'
import { call } from '../errors.js'
import { replyModal, type ModalTarget } from '../modals.js'
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
    const formFor = ticketCommand === 'reply' ? replyFormTicket(text) : undefined
    if (formFor !== undefined) {
      // The form opens on the command's own trigger, which lasts 3 s: Slack hears back first.
      await ack()
      const where = { channel: command.channel_id, user: command.user_id }
      const refusal = await attempt(async () => {
        await openReplyForm(ctx, app.client, formFor, command.trigger_id, command.channel_id)
        return ''
      })
      if (refusal !== '') await ctx.tellAgent(app.client, where, refusal)
      return
    }
    const answer = await attempt(() => runSlashCommand(ctx.core, actor, ticketCommand, text))
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })
}

/** `/reply 42` with nothing after the number asks for a form, where files can be attached. */
function replyFormTicket(text: string): number | undefined {
  const words = text.trim().split(/\s+/)
  return words.length === 1 ? parseTicketNumber(words[0]) : undefined
}

/** Opens the reply modal of a ticket that exists; the agent is answered in its thread once it is sent. */
async function openReplyForm(
  ctx: DoorContext,
  client: WebClient,
  ticketId: number,
  triggerId: string,
  fromChannel: string,
): Promise<void> {
  const { thread } = await ctx.helpdesk.view(ticketId)
  const target: ModalTarget =
    thread === null
      ? { ticketId, channel: fromChannel }
      : { ticketId, channel: thread.channel, threadTs: thread.ts }
  await call('views.open', () => client.views.open({ trigger_id: triggerId, view: replyModal(target) }))
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
