import { DeskError } from '../../src/core/errors.js'
import type { OutboundChoice, OutboundMessage } from '../../src/core/ports.js'
import { commonGraphError, graphCall, type GraphAnswer } from '../meta/graph.js'
import { splitText } from '../../src/core/split-text.js'

/** WhatsApp's limit on a text message body. */
export const WHATSAPP_TEXT_LIMIT = 4096

export interface GraphOptions {
  readonly graphUrl: string
  readonly version: string
  readonly token: string
  readonly phoneNumberId: string
  /** Language of templates sent without one. */
  readonly templateLanguage: string
}

/** A Cloud API failure as a DeskError: what time can fix is retried, the rest says what to do. */
export function toDeskError(answer: GraphAnswer<unknown>): DeskError {
  if (answer.body.error?.code === 131047) {
    return new DeskError(
      'rejected',
      "more than 24 hours passed since the customer's last message; send an approved template with /template",
    )
  }
  return commonGraphError('WhatsApp Cloud API', 'WHATSAPP_CLOUD_TOKEN', answer)
}

/** Reply buttons hold three choices; more go in a list, which holds ten. */
const MAX_BUTTONS = 3
export const MAX_LIST_ROWS = 10

/**
 * A menu as an interactive message: reply buttons (titles up to 20 characters) for three choices
 * or fewer, else a list (row titles up to 24). The body holds 1024 characters.
 */
function interactive(text: string, choices: readonly OutboundChoice[]): Record<string, unknown> {
  const body = { text: text.slice(0, 1024) }
  if (choices.length <= MAX_BUTTONS) {
    const buttons = choices.map((c) => ({ type: 'reply', reply: { id: c.id, title: c.label.slice(0, 20) } }))
    return { type: 'interactive', interactive: { type: 'button', body, action: { buttons } } }
  }
  const rows = choices.slice(0, MAX_LIST_ROWS).map((c) => ({ id: c.id, title: c.label.slice(0, 24) }))
  return {
    type: 'interactive',
    interactive: { type: 'list', body, action: { button: 'Choose', sections: [{ title: 'Choose', rows }] } },
  }
}

/** The Cloud API message bodies for one outbound message: a template, or text in pieces WhatsApp accepts. */
export function toCloudBodies(msg: OutboundMessage, templateLanguage: string): Record<string, unknown>[] {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: msg.to }
  if (msg.template !== undefined) {
    const { name, language, params } = msg.template
    const components =
      params.length === 0
        ? []
        : [{ type: 'body', parameters: params.map((text) => ({ type: 'text', text })) }]
    return [
      {
        ...base,
        type: 'template',
        template: { name, language: { code: language ?? templateLanguage }, components },
      },
    ]
  }
  if (msg.choices !== undefined && msg.choices.length > 0)
    return [{ ...base, ...interactive(msg.text, msg.choices) }]
  return splitText(msg.text, WHATSAPP_TEXT_LIMIT).map((body) => ({
    ...base,
    type: 'text',
    text: { preview_url: false, body },
  }))
}

/** Sends one message through `POST /{version}/{phone-number-id}/messages`; returns the last wamid. */
export async function sendCloudMessage(opts: GraphOptions, msg: OutboundMessage): Promise<string> {
  let wamid = ''
  for (const body of toCloudBodies(msg, opts.templateLanguage)) {
    const url = `${opts.graphUrl}/${opts.version}/${opts.phoneNumberId}/messages`
    const answer = await graphCall<{ messages?: { id?: string }[] }>(url, opts.token, {
      method: 'POST',
      body,
    })
    if (!answer.ok) throw toDeskError(answer)
    wamid = answer.body.messages?.[0]?.id ?? wamid
  }
  return wamid
}
