import type { PlainTextInput, StaticSelect, UsersSelect, View } from '@slack/types'

/** The ticket and thread a modal acts on; carried in the view's private_metadata. */
export interface ModalTarget {
  readonly ticketId: number
  readonly channel: string
  readonly threadTs: string
}

export const MODAL = { note: 'td_note_modal', assign: 'td_assign_modal', canned: 'td_canned_modal' } as const

/** A one-field modal about a ticket; the field's block id is what a refusal is shown on. */
function modal(
  target: ModalTarget,
  callbackId: string,
  title: string,
  submit: string,
  field: {
    blockId: string
    label: string
    element: PlainTextInput | UsersSelect | StaticSelect
  },
): View {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: JSON.stringify(target),
    title: { type: 'plain_text', text: title },
    submit: { type: 'plain_text', text: submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: field.blockId,
        label: { type: 'plain_text', text: field.label },
        element: field.element,
      },
    ],
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
