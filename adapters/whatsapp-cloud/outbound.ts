import { DeskError } from '../../src/core/errors.js'
import type { OutboundMessage } from '../../src/core/ports.js'
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
