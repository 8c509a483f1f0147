import type { App, BlockButtonAction, BlockStaticSelectAction } from '@slack/bolt'
import { DeskError } from '../../../src/core/errors.js'
import type { Actor } from '../../../src/core/helpdesk.js'
import { assignedText } from '../answers.js'
import { ACTION } from '../blocks.js'
import { call } from '../errors.js'
import { cannedModal, noteModal, type ModalTarget } from '../modals.js'
import type { DoorContext } from './context.js'

/**
 * Door 1 again, on the root message: the status buttons, the priority and type pickers, and the
 * buttons that open the canned reply and note modals. The ticket rides on each element.
 */
export function registerButtons(app: App, ctx: DoorContext): void {
  registerStatusButtons(app, ctx)
  registerPickers(app, ctx)
  registerModalButtons(app, ctx)
}

function registerStatusButtons(app: App, { helpdesk, attempt, tellActor }: DoorContext): void {
  app.action<BlockButtonAction>(
    new RegExp(`^(${ACTION.take}|${ACTION.resolve}|${ACTION.pending}|${ACTION.reopen})$`),
    async ({ action, body, ack, client }) => {
      await ack()
      const actor: Actor = { deskUserId: body.user.id }
      const id = Number(action.value)
      const answer = await attempt(async () => {
        switch (action.action_id) {
          case ACTION.take:
            return assignedText(actor, await helpdesk.assign(actor, id, actor.deskUserId))
          case ACTION.resolve:
            return (await helpdesk.setStatus(actor, id, 'solved')).text
          case ACTION.pending:
            return (await helpdesk.setStatus(actor, id, 'pending')).text
          default:
            return (await helpdesk.setStatus(actor, id, 'open')).text
        }
      })
      await tellActor(client, body, answer)
    },
  )
}

/** Priority and type: a select's block id carries the ticket (`ticket_42`), its option the value. */
function registerPickers(app: App, { fields, attempt, tellActor }: DoorContext): void {
  for (const [actionId, set] of [
    [ACTION.priority, (actor: Actor, id: number, value: string) => fields.setPriority(actor, id, value)],
    [ACTION.type, (actor: Actor, id: number, value: string) => fields.setType(actor, id, value)],
  ] as const) {
    app.action<BlockStaticSelectAction>(actionId, async ({ action, body, ack, client }) => {
      await ack()
      const id = Number(action.block_id.replace(/^ticket_/, ''))
      // Slack always names the option picked; a payload without one is answered, not a listener error.
      const picked = (action.selected_option as typeof action.selected_option | null | undefined)?.value
      const answer = await attempt(async () => {
        if (picked === undefined) throw new DeskError('invalid', 'No option was picked, so nothing changed.')
        return set({ deskUserId: body.user.id }, id, picked)
      })
      await tellActor(client, body, answer)
    })
  }
}

function registerModalButtons(app: App, { canned, log, tellAgent }: DoorContext): void {
  app.action<BlockButtonAction>(ACTION.canned, async ({ action, body, ack, client }) => {
    await ack()
    const target: ModalTarget = {
      ticketId: Number(action.value),
      channel: body.channel?.id ?? '',
      threadTs: body.message?.ts ?? '',
    }
    const all = await canned.list()
    if (all.length === 0) {
      await tellAgent(
        client,
        { channel: target.channel, user: body.user.id },
        'No canned replies yet. Admins add them: `/canned add NAME TEXT`.',
      )
      return
    }
    await call('views.open', () =>
      client.views.open({ trigger_id: body.trigger_id, view: cannedModal(target, all) }),
    ).catch((error: unknown) => log.warn({ err: error }, 'could not open the canned reply modal'))
  })

  app.action<BlockButtonAction>(ACTION.note, async ({ action, body, ack, client }) => {
    await ack()
    const target: ModalTarget = {
      ticketId: Number(action.value),
      channel: body.channel?.id ?? '',
      threadTs: body.message?.ts ?? '',
    }
    await call('views.open', () =>
      client.views.open({ trigger_id: body.trigger_id, view: noteModal(target) }),
    ).catch((error: unknown) => log.warn({ err: error }, 'could not open the note modal'))
  })
}
