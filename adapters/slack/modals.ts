import type { View } from '@slack/types'

/** The ticket and thread a modal acts on; carried in the view's private_metadata. */
export interface ModalTarget {
  readonly ticketId: number
  readonly channel: string
  readonly threadTs: string
}

export const MODAL = { note: 'td_note_modal', assign: 'td_assign_modal' } as const

export function noteModal(target: ModalTarget): View {
  return {
    type: 'modal',
    callback_id: MODAL.note,
    private_metadata: JSON.stringify(target),
    title: { type: 'plain_text', text: `Note on #${target.ticketId}` },
    submit: { type: 'plain_text', text: 'Add note' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'note',
        label: { type: 'plain_text', text: 'Private note (agents only, never sent to the customer)' },
        element: { type: 'plain_text_input', action_id: 'text', multiline: true },
      },
    ],
  }
}

export function assignModal(target: ModalTarget): View {
  return {
    type: 'modal',
    callback_id: MODAL.assign,
    private_metadata: JSON.stringify(target),
    title: { type: 'plain_text', text: `Assign #${target.ticketId}` },
    submit: { type: 'plain_text', text: 'Assign' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'assignee',
        label: { type: 'plain_text', text: 'Assign to' },
        element: { type: 'users_select', action_id: 'user' },
      },
    ],
  }
}
