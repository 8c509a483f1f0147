import { DeskError } from '../../src/core/errors.js'
import type { OutboundMessage } from '../../src/core/ports.js'
import { splitText } from '../shared/split-text.js'

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

interface GraphError {
  readonly message?: string
  readonly code?: number
  readonly error_data?: { readonly details?: string }
}

const RATE_LIMITS = new Set([4, 80007, 130429, 131056])
const TRANSIENT = new Set([1, 2, 131000, 131016])

/** A Graph API failure as a DeskError: what time can fix is retried, the rest says what to do. */
export function toDeskError(
  status: number,
  error: GraphError | undefined,
  retryAfter: string | null,
): DeskError {
  const code = error?.code
  const what = `WhatsApp Cloud API answered ${status}${code === undefined ? '' : ` (${code})`}: ${error?.error_data?.details ?? error?.message ?? 'no details'}`
  if (code === 131047) {
    return new DeskError(
      'rejected',
      `more than 24 hours passed since the customer's last message; send an approved template with /template`,
    )
  }
  if (code === 190) return new DeskError('rejected', `${what} (check WHATSAPP_CLOUD_TOKEN)`)
  if (status === 429 || (code !== undefined && RATE_LIMITS.has(code))) {
    const seconds = Number(retryAfter)
    return new DeskError(
      'rate_limited',
      what,
      Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {},
    )
  }
  if (status >= 500 || (code !== undefined && TRANSIENT.has(code))) return new DeskError('unavailable', what)
  return new DeskError('rejected', what)
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
    let res: Response
    try {
      res = await fetch(`${opts.graphUrl}/${opts.version}/${opts.phoneNumberId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    } catch (cause) {
      throw new DeskError('unavailable', 'WhatsApp Cloud API could not be reached', { cause })
    }
    const answer = (await res.json().catch(() => ({}))) as {
      messages?: { id?: string }[]
      error?: GraphError
    }
    if (!res.ok || answer.error !== undefined)
      throw toDeskError(res.status, answer.error, res.headers.get('retry-after'))
    wamid = answer.messages?.[0]?.id ?? wamid
  }
  return wamid
}
