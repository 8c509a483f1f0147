import type { IncomingMessage, ServerResponse } from 'node:http'
import { DeskError } from '../core/errors.js'

const MAX_BODY_BYTES = 1024 * 1024

/**
 * How much of a body over its limit is read and dropped, so the client reads the refusal and its
 * connection stays usable; past this the connection is cut.
 */
const DRAINED_BYTES = 16 * 1024 * 1024

/** The bytes of the bodies being read at once, across requests, and how many may be. */
export interface BodyBudget {
  held: number
  readonly max: number
}

/**
 * What the process holds of bodies still arriving. Most are signed over their bytes, so they are
 * held before anyone knows who sent them: without a ceiling, slow senders of large bodies could
 * make the process hold gigabytes (400 sockets of 4 MiB took it to 1.75 GB).
 */
const sharedBudget: BodyBudget = { held: 0, max: 64 * 1024 * 1024 }

/**
 * Reads a request body as raw bytes (signatures are computed over the bytes, not re-serialised
 * JSON). A body over `limit` is refused (`too_large`, which answers 413) once it has been read to
 * its end. A body that would take the bodies being read past `budget` is let go as it arrives and
 * refused (`unavailable`, 503: platforms send it again).
 */
export async function readRawBody(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
  budget: BodyBudget = sharedBudget,
): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  let held = 0
  let refused = false
  const tooLarge = () =>
    new DeskError('invalid', `request body is larger than ${limit} bytes`, { platformCode: 'too_large' })
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > limit + DRAINED_BYTES) throw tooLarge()
      if (size > limit || refused) continue
      if (budget.held + chunk.length > budget.max) {
        // Over the ceiling: keep nothing of this body, and read the rest only to answer.
        refused = true
        budget.held -= held
        held = 0
        chunks.length = 0
        continue
      }
      chunks.push(chunk)
      held += chunk.length
      budget.held += chunk.length
    }
  } catch (error) {
    if (error instanceof DeskError) throw error
    // The client went away mid-body: its problem, not ours, and nothing was stored.
    throw new DeskError('invalid', 'the client closed the request before its body was complete', {
      cause: error,
    })
  } finally {
    budget.held -= held
  }
  if (size > limit) throw tooLarge()
  if (refused) throw new DeskError('unavailable', 'too many request bodies are arriving at once; try again')
  return Buffer.concat(chunks)
}

/** Parses JSON, or throws a DeskError `invalid` that answers 400. */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch (cause) {
    throw new DeskError('invalid', 'body is not valid JSON', { cause })
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}
