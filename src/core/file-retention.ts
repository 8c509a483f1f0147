import { rm } from 'node:fs/promises'
import type { Db } from '../db/connection.js'
import { forgetStoredFile, keptAttachmentsBefore } from '../db/repos/attachments.js'
import { iso, type Clock } from './clock.js'
import type { Logger } from './logger.js'

const DAY_MS = 24 * 60 * 60 * 1000
const BATCH = 200

/**
 * Deletes the bytes of files delivered more than `keepDays` ago from ATTACHMENT_DIR; their facts
 * (name, type, size, sha-256) stay. Returns how many it let go. A file already gone is no failure.
 */
export async function sweepKeptFiles(
  deps: { readonly db: Db; readonly clock: Clock; readonly log: Logger },
  keepDays: number,
): Promise<number> {
  const before = iso(new Date(deps.clock.now().getTime() - keepDays * DAY_MS))
  let swept = 0
  for (;;) {
    const due = await keptAttachmentsBefore(deps.db, before, BATCH)
    for (const file of due) {
      if (file.stored_path !== null) await rm(file.stored_path, { force: true })
      await forgetStoredFile(deps.db, file.id)
      swept++
    }
    if (due.length < BATCH) break
  }
  if (swept > 0) deps.log.info({ files: swept, keepDays }, 'kept files past their retention deleted')
  return swept
}
