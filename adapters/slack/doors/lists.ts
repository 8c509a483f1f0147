import type { App, BlockButtonAction } from '@slack/bolt'
import type { Actor } from '../../../src/core/helpdesk.js'
import { FILTER_HELP, parseFilter } from '../../../src/core/ticket-query.js'
import { BULK_LIMIT, parseBulk } from '../../../src/core/bulk.js'
import { statusLabel } from '../../../src/core/model.js'
import { bulkDoneText, describeBulk } from '../answers.js'
import { ACTION } from '../blocks.js'
import { slashCommand } from '../command-table.js'
import { escapeText } from '../text.js'
import { createThreadLinks } from '../thread-links.js'
import type { DoorContext } from './context.js'

/**
 * Door 3, lists: `/tickets [filters]` answers with tickets that link to their threads;
 * `/tickets bulk …` asks first, and its Confirm button does the work.
 */
export function registerLists(app: App, ctx: DoorContext): void {
  const { queries, clock, attempt, tellActor } = ctx
  const threadLink = createThreadLinks(app)

  app.command(slashCommand('tickets'), async ({ command, ack }) => {
    if (/^bulk(\s|$)/i.test(command.text.trim())) {
      await ack(
        await bulkConfirmation(
          ctx,
          { deskUserId: command.user_id },
          command.text.trim().replace(/^bulk\s*/i, ''),
        ),
      )
      return
    }
    const answer = await attempt(async () => {
      const filter = parseFilter(command.text, command.user_id, ctx.channels.ids)
      const { tickets, more } = await queries.list(filter, clock.now())
      if (tickets.length === 0) return `No tickets match. ${FILTER_HELP}`
      const lines = await Promise.all(
        tickets.map(async (t) => {
          const number =
            t.threadChannel === null || t.threadTs === null
              ? `#${t.id}`
              : `<${await threadLink(t.threadChannel, t.threadTs)}|#${t.id}>`
          const who = t.assignee === null ? 'unassigned' : `<@${t.assignee}>`
          const subject = t.subject.length > 60 ? `${t.subject.slice(0, 59)}…` : t.subject
          return `• ${number} · ${statusLabel[t.status]} · ${t.priority} · ${ctx.channels.labelOf(t.channel)} · ${escapeText(t.customer)} — ${escapeText(subject)} · ${who}`
        }),
      )
      const tail = more ? `\n_The ${tickets.length} newest are shown; narrow the filters to see others._` : ''
      return `${lines.join('\n')}${tail}`
    })
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })

  app.action<BlockButtonAction>(ACTION.bulkConfirm, async ({ action, body, ack, client }) => {
    await ack()
    const actor: Actor = { deskUserId: body.user.id }
    const answer = await attempt(async () => {
      const spec = parseBulk(action.value ?? '')
      return bulkDoneText(spec, await ctx.bulk.apply(actor, spec))
    })
    await tellActor(client, body, answer)
  })

  app.action<BlockButtonAction>(ACTION.bulkCancel, async ({ body, ack, client }) => {
    await ack()
    await tellActor(client, body, 'Cancelled: nothing changed.')
  })
}

/** The ephemeral answer to /tickets bulk: how many tickets, and buttons to confirm or cancel. */
async function bulkConfirmation(ctx: DoorContext, actor: Actor, text: string) {
  try {
    const spec = parseBulk(text)
    const count = await ctx.bulk.preview(actor, spec)
    if (count === 0)
      return { response_type: 'ephemeral' as const, text: 'No tickets match, so there is nothing to do.' }
    const scope = spec.filter.trim() === '' ? 'that need work' : `matching \`${spec.filter.trim()}\``
    const limit = count > BULK_LIMIT ? ` (the ${BULK_LIMIT} newest in this run)` : ''
    const question = `This will *${describeBulk(spec)}* on *${count} ticket${count === 1 ? '' : 's'}*${limit} ${scope}.`
    return {
      response_type: 'ephemeral' as const,
      text: question,
      blocks: [
        { type: 'section' as const, text: { type: 'mrkdwn' as const, text: question } },
        {
          type: 'actions' as const,
          elements: [
            {
              type: 'button' as const,
              text: { type: 'plain_text' as const, text: 'Confirm' },
              style: 'primary' as const,
              // What was asked rides on the button, so Confirm does exactly that.
              action_id: ACTION.bulkConfirm,
              value: text.trim(),
            },
            {
              type: 'button' as const,
              text: { type: 'plain_text' as const, text: 'Cancel' },
              action_id: ACTION.bulkCancel,
              value: 'cancel',
            },
          ],
        },
      ],
    }
  } catch (error) {
    return { response_type: 'ephemeral' as const, text: ctx.failureText(error) ?? '' }
  }
}
