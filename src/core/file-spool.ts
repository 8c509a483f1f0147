import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { DeskError } from './errors.js'
import type { FileDownload } from './ports.js'
import { sizeText } from './files.js'

/** A file's bytes on disk after they passed through, with what they turned out to be. */
export interface Spooled {
  readonly path: string
  readonly size: number
  readonly sha256: string
}

/** A file name that is safe as the last part of a path on every system. */
export function safeName(name: string): string {
  const cleaned = name.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^\.+/, '')
  return (cleaned === '' ? 'file' : cleaned).slice(-120)
}

/**
 * Writes a download to `dir/name` as it arrives, counting and hashing on the way: the file is never
 * whole in memory. More than `maxBytes` stops it (a refusal, `invalid`); a download cut off midway
 * is a failure the outbox retries (`unavailable`). Nothing is left behind when it fails.
 */
export async function spool(
  download: FileDownload,
  target: { readonly dir: string; readonly name: string; readonly maxBytes: number },
  signal: AbortSignal,
): Promise<Spooled> {
  await mkdir(target.dir, { recursive: true })
  const path = join(target.dir, target.name)
  const hash = createHash('sha256')
  let size = 0
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length
      if (size > target.maxBytes) {
        done(
          new DeskError(
            'invalid',
            `the file is larger than the ${sizeText(target.maxBytes)} limit (MAX_ATTACHMENT_MB)`,
          ),
        )
        return
      }
      hash.update(chunk)
      done(null, chunk)
    },
  })
  try {
    await pipeline(download.body, count, createWriteStream(path), { signal })
  } catch (error) {
    await rm(path, { force: true })
    if (error instanceof DeskError) throw error
    throw new DeskError('unavailable', `the download stopped after ${sizeText(size)}`, {
      cause: error,
      platformCode: 'download_cut',
    })
  }
  if (download.size !== undefined && download.size !== size) {
    await rm(path, { force: true })
    throw new DeskError('unavailable', `the download ended after ${size} of ${download.size} bytes`, {
      platformCode: 'download_short',
    })
  }
  return { path, size, sha256: hash.digest('hex') }
}
