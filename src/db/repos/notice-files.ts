import type { Db } from '../connection.js'

/** A file to post with a notice. */
export interface NoticeFile {
  readonly filename: string
  readonly bytes: Buffer
}

/** Keeps the files of a notice about to be queued; their ids, in order. */
export async function storeNoticeFiles(db: Db, files: readonly NoticeFile[], at: string): Promise<number[]> {
  const ids: number[] = []
  for (const f of files) {
    const row = await db
      .insertInto('notice_files')
      .values({ filename: f.filename, bytes: f.bytes, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids.push(row.id)
  }
  return ids
}

/** The files of a notice, in the order of `ids`; one gone is left out. */
export async function noticeFiles(db: Db, ids: readonly number[]): Promise<NoticeFile[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('notice_files')
    .select(['id', 'filename', 'bytes'])
    .where('id', 'in', [...ids])
    .execute()
  // Both drivers hand a blob (bytea) back as a Buffer of its own.
  const byId = new Map(rows.map((r) => [r.id, { filename: r.filename, bytes: r.bytes }]))
  return ids.flatMap((id) => byId.get(id) ?? [])
}

/** Lets the files of a notice go, once it was posted or given up. */
export async function forgetNoticeFiles(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return
  await db
    .deleteFrom('notice_files')
    .where('id', 'in', [...ids])
    .execute()
}
