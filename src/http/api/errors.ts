import type { ServerResponse } from 'node:http'
import type { z } from 'zod'
import { isDeskError, type DeskError } from '../../core/errors.js'
import { sendJson } from '../body.js'
import type { ErrorCodeName } from './schemas.js'

/** A refusal in the API's one error shape (`ApiErrorBody`). */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCodeName,
    message: string,
    readonly fields?: readonly { field: string; message: string }[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'ApiRefusal'
  }
}

/** Each field a schema refused, by its dotted path, with why. */
export function fieldsOf(error: z.ZodError, prefix?: string): { field: string; message: string }[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.')
    const field = [prefix, path].filter((p) => p !== undefined && p !== '').join('.') || (prefix ?? 'body')
    const message =
      issue.code === 'invalid_type' && issue.input === undefined
        ? 'is required'
        : issue.code === 'unrecognized_keys'
          ? `is not a field: ${issue.keys.join(', ')}`
          : issue.message
    return { field, message }
  })
}

export function invalidRequest(fields: { field: string; message: string }[]): ApiRefusal {
  const named = fields.map((f) => `${f.field} ${f.message}`).join('; ')
  return new ApiRefusal(400, 'invalid_request', `The request is not valid: ${named}.`, fields)
}

/** A refusal of the core, in the API's terms. */
export function fromDeskError(error: DeskError): ApiRefusal | undefined {
  const detail = error.detail
  switch (error.code) {
    case 'invalid':
      return detail?.kind === 'invalid_field'
        ? invalidRequest([{ field: detail.field, message: error.message }])
        : new ApiRefusal(400, 'invalid_request', error.message)
    case 'forbidden':
      return new ApiRefusal(403, 'forbidden', error.message)
    case 'not_found':
      return new ApiRefusal(404, 'not_found', error.message)
    case 'conflict':
      return detail?.kind === 'idempotency_key_reused'
        ? new ApiRefusal(422, 'idempotency_key_reused', error.message)
        : new ApiRefusal(409, 'conflict', error.message)
    case 'unavailable':
      return new ApiRefusal(503, 'unavailable', error.message, undefined, { 'retry-after': '5' })
    default:
      return undefined
  }
}

export function toRefusal(error: unknown): ApiRefusal | undefined {
  if (error instanceof ApiRefusal) return error
  return isDeskError(error) ? fromDeskError(error) : undefined
}

export function sendRefusal(res: ServerResponse, refusal: ApiRefusal): void {
  for (const [name, value] of Object.entries(refusal.headers)) res.setHeader(name, value)
  sendJson(res, refusal.status, {
    error: {
      code: refusal.code,
      message: refusal.message,
      ...(refusal.fields !== undefined && { fields: refusal.fields }),
    },
  })
}
