import { compiledOnce } from '../compiled-once.js'
import type { Db } from '../connection.js'

const tagsOfTicket = compiledOnce((db, t: { ticketId: number }) =>
  db.selectFrom('ticket_tags').select('tag').where('ticket_id', '=', t.ticketId).orderBy('tag'),
)

/** A ticket's tags, in alphabetical order. */
export async function tagsOf(db: Db, ticketId: number): Promise<string[]> {
  return (await tagsOfTicket(db, { ticketId })).rows.map((r) => r.tag)
}

/** Puts a tag on a ticket; false when it was there already. */
export async function addTag(db: Db, ticketId: number, tag: string): Promise<boolean> {
  const added = await db
    .insertInto('ticket_tags')
    .values({ ticket_id: ticketId, tag })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  return added.numInsertedOrUpdatedRows === 1n
}

/** Takes a tag off a ticket; false when it was not there. */
export async function removeTag(db: Db, ticketId: number, tag: string): Promise<boolean> {
  const removed = await db
    .deleteFrom('ticket_tags')
    .where('ticket_id', '=', ticketId)
    .where('tag', '=', tag)
    .executeTakeFirst()
  return removed.numDeletedRows === 1n
}
