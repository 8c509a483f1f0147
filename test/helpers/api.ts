import { ApiErrorBody } from '../../src/http/api/schemas.js'
import type { Harness } from './harness.js'

export const ADMIN = 'UADMIN'

/** A key as an admin creates it in Slack: the one time it is shown. */
export async function createKey(h: Harness, name: string, role = ''): Promise<string> {
  const answer = await h.slash('/apikey', `create ${name} ${role}`.trim(), ADMIN)
  const key = /`(td_[A-Za-z0-9_-]+)`/.exec(answer)?.[1]
  if (key === undefined) throw new Error(`no key in: ${answer}`)
  return key
}

export interface ApiAnswer {
  readonly status: number
  readonly headers: Headers
  readonly body: unknown
}

/** The fields a refusal names, sorted. */
export const faultyFields = (answer: ApiAnswer): string[] =>
  (ApiErrorBody.parse(answer.body).error.fields ?? []).map((f) => f.field).sort()

/** The id of the ticket an answer shows. */
export const idOf = (answer: ApiAnswer): number => (answer.body as { id: number }).id

/** Calls the API with a key; the body is sent as JSON unless it is a string already. */
export async function api(
  h: Harness,
  method: string,
  path: string,
  key: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer> {
  const res = await fetch(`${h.base}/api/v1${path}`, {
    method,
    headers: {
      ...(key !== undefined && { authorization: `Bearer ${key}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  const text = await res.text()
  return {
    status: res.status,
    headers: res.headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  }
}

export const newTicket = (externalId = 'cust-1', message = 'Where is my order 1234?') => ({
  contact: { externalId, name: 'Ada Lovelace', email: 'ada@example.com' },
  message,
})
