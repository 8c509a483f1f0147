import { DeskError } from '../../src/core/errors.js'
import type { FileDownload } from '../../src/core/ports.js'
import { streamGet, type StreamedAnswer } from './http-stream.js'

/** The bytes of a download as a stream the core can read, with what the headers said of it. */
export function downloadOf(res: StreamedAnswer): FileDownload {
  const length = Number(res.headers['content-length'] ?? Number.NaN)
  const type = res.headers['content-type']
  return {
    body: res.body,
    ...(Number.isFinite(length) && { size: length }),
    ...(type !== undefined && { mimeType: type }),
  }
}

/** A download's status as a DeskError: gone is `not_found` (no retry helps), a rate limit waits. */
export function statusError(
  what: string,
  status: number,
  retryAfter: string | string[] | undefined,
): DeskError {
  if (status === 404 || status === 410 || status === 403)
    return new DeskError('not_found', `${what} answered ${status}: the file is gone or its link expired`, {
      platformCode: String(status),
    })
  if (status === 429) {
    const seconds = Number(retryAfter)
    return new DeskError('rate_limited', `${what} answered 429`, {
      ...(Number.isFinite(seconds) && seconds > 0 && { retryAfterMs: seconds * 1000 }),
      platformCode: '429',
    })
  }
  return new DeskError(status >= 500 ? 'unavailable' : 'rejected', `${what} answered ${status}`, {
    platformCode: String(status),
  })
}

/** GETs a file's bytes as a stream; a status that is no success is a DeskError that says what it means. */
export async function download(
  what: string,
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<FileDownload> {
  let res: StreamedAnswer
  try {
    res = await streamGet(url, headers, signal)
  } catch (cause) {
    throw new DeskError('unavailable', `${what} could not be reached`, { cause })
  }
  if (res.status < 200 || res.status >= 300) {
    res.body.resume()
    throw statusError(what, res.status, res.headers['retry-after'])
  }
  return downloadOf(res)
}
