import { createReadStream } from 'node:fs'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/** A streamed answer: its status, headers and body, read as it arrives. */
export interface StreamedAnswer {
  readonly status: number
  readonly headers: IncomingMessage['headers']
  readonly body: IncomingMessage
}

const requestFor = (url: URL) => (url.protocol === 'https:' ? httpsRequest : httpRequest)

/** Reads a (small) answer whole: its status, headers and the first `limit` characters of its text. */
function readAnswer(
  res: IncomingMessage,
  limit: number,
  resolve: (answer: { status: number; headers: IncomingMessage['headers']; text: string }) => void,
  reject: (error: unknown) => void,
): void {
  const chunks: Buffer[] = []
  res.on('data', (chunk: Buffer) => chunks.push(chunk))
  res.once('end', () =>
    resolve({
      status: res.statusCode ?? 0,
      headers: res.headers,
      text: Buffer.concat(chunks).toString('utf8').slice(0, limit),
    }),
  )
  res.once('error', reject)
}

/**
 * GETs a URL and hands back its body as a Node stream, which reads from the socket only as fast as
 * it is consumed. File bytes go through node:http rather than fetch: fetch's streams queue by
 * chunk count on Node 20, so a slow consumer lets a whole file pile up in memory.
 */
export function streamGet(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<StreamedAnswer> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const req = requestFor(target)(target, { method: 'GET', headers, signal }, (res) =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res }),
    )
    req.once('error', reject)
    req.end()
  })
}

/** POSTs a file from disk, streamed with its length; resolves with the answer once it is read. */
export async function streamPost(
  url: string,
  file: { readonly path: string; readonly size: number; readonly mimeType: string },
  signal: AbortSignal,
): Promise<{ status: number; text: string }> {
  const target = new URL(url)
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = requestFor(target)(
      target,
      {
        method: 'POST',
        headers: { 'content-type': file.mimeType, 'content-length': String(file.size) },
        signal,
      },
      (res) => readAnswer(res, 2000, ({ status, text }) => resolve({ status, text }), reject),
    )
    req.once('error', reject)
    pipeline(createReadStream(file.path), req).catch(reject)
  })
  return answer
}

/** A file part of a multipart body. */
export interface FilePart {
  readonly field: string
  readonly path: string
  readonly name: string
  readonly size: number
  readonly mimeType: string
}

/**
 * A multipart/form-data body of text fields and one file, the file read from disk as it is sent:
 * its content type, its length (known beforehand, so no chunked encoding) and the stream itself.
 */
export function multipartBody(
  fields: Readonly<Record<string, string>>,
  file: FilePart,
): { contentType: string; length: number; body: Readable } {
  const boundary = `----threaddesk${randomBytes(12).toString('hex')}`
  const quoted = (s: string) => s.replace(/["\r\n\\]/g, '_')
  const head = Buffer.from(
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${quoted(k)}"\r\n\r\n${v}\r\n`)
      .join('') +
      `--${boundary}\r\ncontent-disposition: form-data; name="${quoted(file.field)}"; filename="${quoted(file.name)}"\r\n` +
      `content-type: ${file.mimeType}\r\n\r\n`,
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  async function* parts() {
    yield head
    yield* createReadStream(file.path)
    yield tail
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + file.size + tail.length,
    body: Readable.from(parts(), { objectMode: false }),
  }
}

/** POSTs a multipart body of fields and one file streamed from disk; resolves with the answer once read. */
export async function streamMultipart(
  url: string,
  headers: Record<string, string>,
  fields: Readonly<Record<string, string>>,
  file: FilePart,
  signal: AbortSignal,
): Promise<{ status: number; headers: IncomingMessage['headers']; text: string }> {
  const form = multipartBody(fields, file)
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const req = requestFor(target)(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': form.contentType, 'content-length': String(form.length) },
        signal,
      },
      (res) => readAnswer(res, 100_000, resolve, reject),
    )
    req.once('error', reject)
    pipeline(form.body, req).catch(reject)
  })
}
