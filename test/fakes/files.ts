import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * A file a fake platform serves: `size` bytes made on the fly from a seed (never held whole, so a
 * 50 MB file costs the test no memory), cut off after `cutAfter` bytes when set, as a connection
 * that drops midway.
 */
export interface FakeFile {
  readonly size: number
  readonly mimeType: string
  readonly seed: number
  /** Serve only this many bytes, then drop the connection (once: the next download is whole). */
  cutAfter?: number | undefined
  /** The link expired: the platform still names the file, but its download answers 404. */
  expired?: boolean
  /** Serve only this many bytes, then hold the connection open without a byte more (every time). */
  stallAfter?: number
}

const CHUNK = 64 * 1024

/** The bytes of a fake file, chunk by chunk. */
export function* fakeBytes(file: Pick<FakeFile, 'size' | 'seed'>): Generator<Buffer> {
  for (let offset = 0; offset < file.size; offset += CHUNK) {
    const chunk = Buffer.alloc(Math.min(CHUNK, file.size - offset), (offset / CHUNK + file.seed) % 251)
    yield chunk
  }
}

/** The SHA-256 of a fake file's bytes, as the desk should record it. */
export function fakeSha256(file: Pick<FakeFile, 'size' | 'seed'>): string {
  const hash = createHash('sha256')
  for (const chunk of fakeBytes(file)) hash.update(chunk)
  return hash.digest('hex')
}

/** Serves a fake file, or drops the connection midway when it is set to. */
export async function serveFile(res: ServerResponse, file: FakeFile): Promise<void> {
  if (file.expired === true) {
    res.writeHead(404, { 'content-type': 'text/plain' })
    res.end('Not Found')
    return
  }
  res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.size) })
  let sent = 0
  const cut = file.cutAfter
  file.cutAfter = undefined
  for (const chunk of fakeBytes(file)) {
    if (file.stallAfter !== undefined && sent + chunk.length > file.stallAfter) {
      res.write(chunk.subarray(0, file.stallAfter - sent))
      // Held until the downloader gives up and closes it.
      await new Promise((resolve) => res.once('close', resolve))
      return
    }
    if (cut !== undefined && sent + chunk.length > cut) {
      res.write(chunk.subarray(0, cut - sent))
      await new Promise((resolve) => setTimeout(resolve, 5))
      res.destroy()
      return
    }
    sent += chunk.length
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve))
  }
  res.end()
}

/** What a fake received as a file: its size and hash (never the bytes themselves), and its fields. */
export interface ReceivedFile {
  readonly name: string
  readonly type: string
  readonly size: number
  readonly sha256: string
}

/**
 * Reads a multipart/form-data request as it streams: its text fields, and each file part's name,
 * type, size and SHA-256. Bytes are hashed on the way, never collected, so large uploads cost the
 * test no memory.
 */
export async function readMultipart(
  req: IncomingMessage,
): Promise<{ fields: Record<string, string>; files: Record<string, ReceivedFile> }> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '')
  const mark = Buffer.from(`\r\n--${boundary?.[1] ?? boundary?.[2] ?? ''}`)
  const fields: Record<string, string> = {}
  const files: Record<string, ReceivedFile> = {}
  // The body starts with the boundary without its leading CRLF: pretend it had one.
  let pending: Buffer = Buffer.from('\r\n')
  let part:
    | {
        headers: string
        name: string
        file?: string
        type: string
        size: number
        hash?: ReturnType<typeof createHash>
        text: Buffer[]
      }
    | undefined
  let inHeaders = false
  const finish = () => {
    if (part === undefined) return
    if (part.file !== undefined)
      files[part.name] = {
        name: part.file,
        type: part.type,
        size: part.size,
        sha256: part.hash!.digest('hex'),
      }
    else fields[part.name] = Buffer.concat(part.text).toString('utf8')
    part = undefined
  }
  const take = (bytes: Buffer) => {
    if (part === undefined) return
    part.size += bytes.length
    if (part.hash !== undefined) part.hash.update(bytes)
    else part.text.push(bytes)
  }
  for await (const chunk of req as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, chunk])
    for (;;) {
      if (inHeaders) {
        const end = pending.indexOf('\r\n\r\n')
        if (end < 0) break
        const headers = pending.subarray(0, end).toString('utf8')
        pending = pending.subarray(end + 4)
        const name = /[;\s]name="?([^";\r\n]*)"?/.exec(headers)?.[1] ?? ''
        const filename = /filename=(?:"([^"]*)"|([^;\r\n]+))/.exec(headers)
        const file = filename === null ? undefined : (filename[1] ?? filename[2])
        const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? ''
        part = {
          headers,
          name,
          ...(file !== undefined && { file, hash: createHash('sha256') }),
          type,
          size: 0,
          text: [],
        }
        inHeaders = false
        continue
      }
      const at = pending.indexOf(mark)
      if (at < 0) {
        // Keep what could be the start of a boundary; the rest is the part's.
        const keep = Math.min(pending.length, mark.length + 4)
        take(pending.subarray(0, pending.length - keep))
        pending = pending.subarray(pending.length - keep)
        break
      }
      take(pending.subarray(0, at))
      finish()
      const after = pending.subarray(at + mark.length)
      if (after.length < 2) break
      if (after.subarray(0, 2).toString() === '--') {
        pending = Buffer.alloc(0)
        break
      }
      pending = after.subarray(2)
      inHeaders = true
    }
  }
  finish()
  return { fields, files }
}
