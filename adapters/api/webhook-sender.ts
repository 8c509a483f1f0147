import { Webhook } from 'standardwebhooks'
import { DeskError } from '../../src/core/errors.js'
import type { WebhookSender } from '../../src/core/ports.js'

/** What a receiver's answer to Retry-After says, in ms, when it is a number of seconds. */
function retryAfterMs(header: string | null): number | undefined {
  const seconds = Number(header)
  return header !== null && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined
}

/**
 * Posts events as the Standard Webhooks specification says: `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` (HMAC-SHA256 with the endpoint's `whsec_` secret, by the `standardwebhooks`
 * package), so receivers verify them with the library of their language. Anything but a 2xx is a
 * failure worth retrying; a 429's Retry-After is a wait. Redirects are not followed.
 */
export function createWebhookSender(timeoutMs: number): WebhookSender {
  return {
    async post(endpoint, event) {
      const signature = new Webhook(endpoint.secret).sign(event.id, event.timestamp, event.body)
      let res: Response
      try {
        res = await fetch(endpoint.url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'threaddesk-webhooks',
            'webhook-id': event.id,
            'webhook-timestamp': String(Math.floor(event.timestamp.getTime() / 1000)),
            'webhook-signature': signature,
          },
          body: event.body,
        })
      } catch (cause) {
        throw new DeskError(
          'unavailable',
          `the endpoint could not be reached (${(cause as Error).message})`,
          {
            cause,
            platformCode: 'unreachable',
          },
        )
      }
      // The answer's body is not read: a receiver's words are not ours to keep.
      await res.body?.cancel()
      if (res.ok) return
      const wait = res.status === 429 ? retryAfterMs(res.headers.get('retry-after')) : undefined
      throw new DeskError(
        res.status === 429 ? 'rate_limited' : 'unavailable',
        `the endpoint answered ${res.status}`,
        {
          retryable: true,
          platformCode: String(res.status),
          ...(wait !== undefined && { retryAfterMs: wait }),
        },
      )
    },
  }
}
