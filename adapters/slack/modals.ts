import type { FileInput, PlainTextInput, StaticSelect, UsersSelect, View } from '@slack/types'

/** The ticket and thread a modal acts on; carried in the view's private_metadata. */
export interface ModalTarget {
  readonly ticketId: number
  readonly channel: string
  /** The thread the agent is answered in; none when the ticket has none yet (answered in the channel). */
  readonly threadTs?: string
}

export const MODAL = {
  note: 'td_note_modal',
  assign: 'td_assign_modal',
  canned: 'td_canned_modal',
  reply: 'td_reply_modal',
} as const

/** A modal's input; its block id is what a refusal is shown on. */
interface Field {
  readonly blockId: string
  readonly label: string
  readonly element: PlainTextInput | UsersSelect | StaticSelect | FileInput
  readonly optional?: boolean
}

/** A modal about a ticket, with its fields in order. */
function modal(
  target: ModalTarget,
  callbackId: string,
  title: string,
  submit: string,
  ...fields: Field[]
): View {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: JSON.stringify(target),
    title: { type: 'plain_text', text: title },
    submit: { type: 'plain_text', text: submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: fields.map((field) => ({
      type: 'input',
      block_id: field.blockId,
      label: { type: 'plain_text', text: field.label },
      element: field.element,
      ...(field.optional === true && { optional: true }),
    })),
  }
}

export const noteModal = (target: ModalTarget): View =>
  modal(target, MODAL.note, `Note on #${target.ticketId}`, 'Add note', {
    blockId: 'note',
    label: 'Private note (agents only, never sent to the customer)',
    element: { type: 'plain_text_input', action_id: 'text', multiline: true },
  })

export const assignModal = (target: ModalTarget): View =>
  modal(target, MODAL.assign, `Assign #${target.ticketId}`, 'Assign', {
    blockId: 'assignee',
    label: 'Assign to',
    element: { type: 'users_select', action_id: 'user' },
  })

export const cannedModal = (target: ModalTarget, replies: readonly { name: string; text: string }[]): View =>
  modal(target, MODAL.canned, `Reply to #${target.ticketId}`, 'Send', {
    blockId: 'canned',
    label: 'Canned reply (sent to the customer)',
    element: {
      type: 'static_select',
      action_id: 'name',
      options: replies.slice(0, 100).map((r) => ({
        text: { type: 'plain_text', text: `:${r.name}` },
        value: r.name,
        description: { type: 'plain_text', text: r.text.slice(0, 75) },
      })),
    },
  })

/** At most as many files as Slack's file input takes at once. */
const MAX_REPLY_FILES = 10

/** A reply to the customer with files: words, files, or both (`/reply 42` with nothing after it). */
export const replyModal = (target: ModalTarget): View =>
  modal(
    target,
    MODAL.reply,
    `Reply to #${target.ticketId}`,
    'Send',
    {
      blockId: 'reply',
      label: 'Reply (sent to the customer)',
      element: { type: 'plain_text_input', action_id: 'text', multiline: true },
      optional: true,
    },
    {
      blockId: 'files',
      label: 'Files',
      element: { type: 'file_input', action_id: 'files', max_files: MAX_REPLY_FILES },
      optional: true,
    },
  )
