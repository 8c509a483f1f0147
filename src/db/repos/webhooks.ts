import type { Db } from '../connection.js'
import type { WebhookEndpoint } from '../schema.js'

export async function insertEndpoint(
  db: Db,
  endpoint: { url: string; events: readonly string[]; secret: string; createdBy: string },
  at: string,
): Promise<WebhookEndpoint> {
  return db
    .insertInto('webhook_endpoints')
    .values({
      url: endpoint.url,
      events: JSON.stringify(endpoint.events),
      secret: endpoint.secret,
      created_by: endpoint.createdBy,
      created_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Endpoints that have not been removed, oldest first. */
export async function liveEndpoints(db: Db): Promise<WebhookEndpoint[]> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('removed_at', 'is', null)
    .orderBy('id')
    .execute()
}

export async function findEndpoint(db: Db, id: number): Promise<WebhookEndpoint | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Removes an endpoint; false when there is none of that id left. */
export async function removeEndpoint(db: Db, id: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('webhook_endpoints')
    .set({ removed_at: at })
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

/** Records a failed delivery: since when it fails (kept from the first failure) and why. */
export async function endpointFailed(db: Db, id: number, reason: string, at: string): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set((eb) => ({ failing_since: eb.fn.coalesce('failing_since', eb.val(at)), last_error: reason }))
    .where('id', '=', id)
    .execute()
}

/** Pauses an endpoint that kept failing; false when it was paused already. */
export async function pauseEndpoint(db: Db, id: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('webhook_endpoints')
    .set({ paused_at: at })
    .where('id', '=', id)
    .where('paused_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

/** The endpoint answered: it is neither failing nor paused. */
export async function endpointAnswered(db: Db, id: number): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({ failing_since: null, last_error: null, paused_at: null })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('failing_since', 'is not', null), eb('paused_at', 'is not', null)]))
    .execute()
}

/** Stores an event once; false when an event of this id exists already. */
export async function insertWebhookEvent(
  db: Db,
  event: { id: string; ticketId: number | null; type: string; body: string },
  at: string,
): Promise<boolean> {
  const result = await db
    .insertInto('webhook_events')
    .values({ id: event.id, ticket_id: event.ticketId, type: event.type, body: event.body, created_at: at })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst()
  return result.numInsertedOrUpdatedRows === 1n
}

export async function findWebhookEvent(
  db: Db,
  id: string,
): Promise<{ id: string; body: string; created_at: string } | undefined> {
  return db
    .selectFrom('webhook_events')
    .select(['id', 'body', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst()
}
