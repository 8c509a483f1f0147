import type { Db } from '../connection.js'

/** Saves a canned reply under its name; an existing one of that name gets the new text. */
export async function saveCannedReply(
  db: Db,
  reply: { name: string; text: string; createdBy: number },
  at: string,
): Promise<void> {
  await db
    .insertInto('canned_replies')
    .values({ name: reply.name, text: reply.text, created_by: reply.createdBy, created_at: at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ text: reply.text }))
    .execute()
}

/** Removes a canned reply; false when there was none of that name. */
export async function removeCannedReply(db: Db, name: string): Promise<boolean> {
  const removed = await db.deleteFrom('canned_replies').where('name', '=', name).executeTakeFirst()
  return removed.numDeletedRows !== 0n
}

/** Every canned reply, by name. */
export async function cannedReplies(db: Db): Promise<{ name: string; text: string }[]> {
  return db.selectFrom('canned_replies').select(['name', 'text']).orderBy('name').execute()
}

/** The text of one canned reply, if there is one of that name. */
export async function cannedReplyText(db: Db, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('canned_replies').select('text').where('name', '=', name).executeTakeFirst()
  return row?.text
}
