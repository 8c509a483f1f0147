import type { App, MessageShortcut, ViewOutput } from '@slack/bolt'
import type { WebClient } from '@slack/web-api'
import type { Actor } from '../../../src/core/helpdesk.js'
import { assignedText } from '../answers.js'
import { SHORTCUTS } from '../command-table.js'
import { call } from '../errors.js'
import { sendReply } from '../commands.js'
import { toFileRef } from '../file-refs.js'
import { assignModal, MODAL, noteModal, type ModalTarget } from '../modals.js'
import type { AgentTarget, DoorContext } from './context.js'

/** Message shortcuts (callback ids), from the command table, as declared in the app manifest. */
export const SHORTCUT = {
  resolve: SHORTCUTS.resolve.callbackId,
  assign: SHORTCUTS.assign.callbackId,
  note: SHORTCUTS.note.callbackId,
} as const

type ModalValues = ViewOutput['state']['values']

/**
 * Door 1 again: message shortcuts on any message of a ticket's thread (*Resolve*, *Assign…*,
 * *Private note…*), and the submissions of the modals they and the root buttons open.
 */
export function registerShortcutsAndModals(app: App, ctx: DoorContext): void {
  registerShortcuts(app, ctx)
  registerSubmissions(app, ctx)
}

/** The ticket of the thread a shortcut was used in; the agent is told when it is no ticket's. */
async function shortcutTarget(
  ctx: DoorContext,
  shortcut: MessageShortcut,
  client: WebClient,
): Promise<ModalTarget | undefined> {
  // A thread's root message has no thread_ts: its own ts names the thread.
  const threadTs = (shortcut.message.thread_ts as string | undefined) ?? shortcut.message.ts
  const ticketId = await ctx.helpdesk.ticketOfThread({ channel: shortcut.channel.id, ts: threadTs })
  if (ticketId === undefined) {
    await ctx.tellAgent(
      client,
      { channel: shortcut.channel.id, user: shortcut.user.id },
      ":warning: This message is not in a ticket's thread. Use the shortcut on a message of a ticket thread.",
    )
    return undefined
  }
  return { ticketId, channel: shortcut.channel.id, threadTs }
}

/** The ticket and thread a modal was opened for, from its private_metadata; undefined when unreadable. */
function targetOf(metadata: string): ModalTarget | undefined {
  try {
    const t = JSON.parse(metadata) as Partial<ModalTarget> | null
    if (typeof t?.ticketId !== 'number' || typeof t.channel !== 'string') return undefined
    return {
      ticketId: t.ticketId,
      channel: t.channel,
      ...(typeof t.threadTs === 'string' && { threadTs: t.threadTs }),
    }
  } catch {
    return undefined
  }
}

/** Where an agent is answered about a modal's ticket: in its thread, else the channel. */
function whereOf(target: ModalTarget, user: string): AgentTarget {
  return {
    channel: target.channel,
    user,
    ...(target.threadTs !== undefined && { threadTs: target.threadTs }),
  }
}

function registerShortcuts(app: App, ctx: DoorContext): void {
  const { helpdesk, log, attempt, tellAgent } = ctx
  app.shortcut<MessageShortcut>(SHORTCUT.resolve, async ({ shortcut, ack, client }) => {
    await ack()
    const target = await shortcutTarget(ctx, shortcut, client)
    if (target === undefined) return
    const answer = await attempt(
      async () =>
        (await helpdesk.setStatus({ deskUserId: shortcut.user.id }, target.ticketId, 'solved')).text,
    )
    await tellAgent(client, whereOf(target, shortcut.user.id), answer)
  })

  for (const [id, modal] of [
    [SHORTCUT.assign, assignModal],
    [SHORTCUT.note, noteModal],
  ] as const) {
    app.shortcut<MessageShortcut>(id, async ({ shortcut, ack, client }) => {
      await ack()
      const target = await shortcutTarget(ctx, shortcut, client)
      if (target === undefined) return
      await call('views.open', () =>
        client.views.open({ trigger_id: shortcut.trigger_id, view: modal(target) }),
      ).catch((error: unknown) => log.warn({ err: error }, 'could not open a modal'))
    })
  }
}

/** The modals' submissions: errors are shown on the field, success ephemerally in the thread. */
function registerSubmissions(app: App, ctx: DoorContext): void {
  const { helpdesk, canned, agentName, failureText, tellAgent, core } = ctx
  const submissions: readonly {
    id: string
    field: string | ((values: ModalValues) => string)
    run(actor: Actor, target: ModalTarget, values: ModalValues, viewId: string): Promise<string>
  }[] = [
    {
      id: MODAL.note,
      field: 'note',
      run: async (actor: Actor, target: ModalTarget, values: ModalValues) =>
        (await helpdesk.note(actor, target.ticketId, values.note?.text?.value ?? '')).text,
    },
    {
      id: MODAL.canned,
      field: 'canned',
      run: async (actor: Actor, target: ModalTarget, values: ModalValues) => {
        const name = values.canned?.name?.selected_option?.value ?? ''
        const text = await canned.render(name, target.ticketId, await agentName(actor.deskUserId))
        return (await helpdesk.reply(actor, target.ticketId, text)).text
      },
    },
    {
      id: MODAL.reply,
      // A refusal of a file is shown under the files, any other under the words.
      field: (values: ModalValues) => ((values.files?.files?.files ?? []).length > 0 ? 'files' : 'reply'),
      run: async (actor: Actor, target: ModalTarget, values: ModalValues, viewId: string) =>
        sendReply(
          core,
          actor,
          target.ticketId,
          values.reply?.text?.value ?? '',
          // One form is sent once, however often Slack delivers its submission.
          { eventKey: `slack:view:${viewId}` },
          (values.files?.files?.files ?? []).map((f) => toFileRef(f)),
        ),
    },
    {
      id: MODAL.assign,
      field: 'assignee',
      run: async (actor: Actor, target: ModalTarget, values: ModalValues) =>
        assignedText(
          actor,
          await helpdesk.assign(actor, target.ticketId, values.assignee?.user?.selected_user ?? ''),
        ),
    },
  ]
  for (const submission of submissions) {
    app.view(submission.id, async ({ ack, view, body, client }) => {
      const target = targetOf(view.private_metadata)
      const { field } = submission
      const errorOn = typeof field === 'string' ? field : field(view.state.values)
      if (target === undefined) {
        await ack({
          response_action: 'errors',
          errors: { [errorOn]: 'This form is out of date: open it again.' },
        })
        return
      }
      try {
        const { values } = view.state
        const answer = await submission.run({ deskUserId: body.user.id }, target, values, view.id)
        await ack()
        await tellAgent(client, whereOf(target, body.user.id), answer)
      } catch (error) {
        // Only a modal's own ack can show an error; a duplicate means the first submit did it.
        const text = failureText(error) ?? 'Already done.'
        await ack({ response_action: 'errors', errors: { [errorOn]: text } })
      }
    })
  }
}
