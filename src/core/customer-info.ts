import { DeskError, describeError } from './errors.js'
import { redactSecrets } from './untrusted.js'

import type { CustomerInfo } from './ports.js'

export type { CustomerInfo }

const MAX_FIELDS = 12

/**
 * POSTs the contact to the team's own service and keeps the scalar fields it answers with
 * (plan, device, country, …). A slow or failing service is reported, never waited on beyond
 * `timeoutMs`.
 */
export async function fetchCustomerInfo(
  url: string,
  contact: { channel: string; id: string; name: string; username: string | null },
  timeoutMs: number,
): Promise<CustomerInfo> {
  // Credentials in the URL (https://user:pass@host/…) are sent as Basic authentication: fetch
  // refuses them in the URL, and they must never show in an error.
  const target = new URL(url)
  const basic =
    target.username === '' && target.password === ''
      ? undefined
      : Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString(
          'base64',
        )
  target.username = ''
  target.password = ''
  let res: Response
  try {
    res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(basic && { authorization: `Basic ${basic}` }) },
      body: JSON.stringify(contact),
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError'
    return {
      unavailable: timedOut ? `no answer within ${timeoutMs / 1000} s` : redactSecrets(describeError(error)),
    }
  }
  if (!res.ok) return { unavailable: `the service answered ${res.status}` }
  const body: unknown = await res.json().catch(() => undefined)
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { unavailable: 'the answer was not a JSON object' }
  const fields = Object.entries(body)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .slice(0, MAX_FIELDS)
    .map(([k, v]) => [k, String(v)] as const)
  return { fields }
}

export function parseCustomerInfo(json: string | null): CustomerInfo | undefined {
  if (json === null) return undefined
  try {
    return JSON.parse(json) as CustomerInfo
  } catch (cause) {
    throw new DeskError('rejected', 'stored customer info is not JSON', { cause })
  }
}
