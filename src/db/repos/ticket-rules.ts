import { compiledOnce } from '../compiled-once.js'
import type { Db } from '../connection.js'
import type { TicketRule } from '../schema.js'

const rulesInOrder = compiledOnce((db, _: object) => db.selectFrom('ticket_rules').selectAll().orderBy('id'))

/** Every creation rule, in the order they were added (the order they apply in). */
export async function allRules(db: Db): Promise<TicketRule[]> {
  return (await rulesInOrder(db, {})).rows
}

/** Saves a rule (its conditions and actions as JSON); returns its id. */
export async function addRule(
  db: Db,
  rule: { conditions: string; actions: string },
  at: string,
): Promise<number> {
  const row = await db
    .insertInto('ticket_rules')
    .values({ conditions: rule.conditions, actions: rule.actions, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Removes a rule; false when there was none of that id. */
export async function removeRule(db: Db, id: number): Promise<boolean> {
  const gone = await db.deleteFrom('ticket_rules').where('id', '=', id).executeTakeFirst()
  return gone.numDeletedRows !== 0n
}
