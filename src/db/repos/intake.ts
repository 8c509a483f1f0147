import { compiledOnce } from '../compiled-once.js'
import type { Db } from '../connection.js'
import type { IntakePrompt, IntakeQuestion } from '../schema.js'

/** Marks a contact let in (CONTACT_POLICY=known) or blocked, or takes the mark away (`at` null). */
export async function setContactMark(
  db: Db,
  contactId: number,
  mark: 'allowed_at' | 'blocked_at',
  at: string | null,
): Promise<void> {
  await db
    .updateTable('contacts')
    .set({ [mark]: at })
    .where('id', '=', contactId)
    .execute()
}

/** Keeps a deep link's reference for the contact's next ticket (null: taken). */
export async function setPendingReference(
  db: Db,
  contactId: number,
  reference: string | null,
): Promise<void> {
  await db.updateTable('contacts').set({ pending_reference: reference }).where('id', '=', contactId).execute()
}

/** Closes a ticket as it is created, saying why (`unknown`: a contact the policy does not let in). */
export async function closeAtBirth(db: Db, ticketId: number, reason: string, at: string): Promise<void> {
  await db
    .updateTable('tickets')
    .set({ status: 'closed', closed_at: at, closed_reason: reason, updated_at: at })
    .where('id', '=', ticketId)
    .execute()
}

/** Records a menu sent for one step of a ticket's intake; undefined when that step was asked already. */
export async function insertPrompt(
  db: Db,
  p: { ticketId: number; contactId: number; step: string; options: readonly string[]; byNumber: boolean },
  at: string,
): Promise<IntakePrompt | undefined> {
  return db
    .insertInto('intake_prompts')
    .values({
      ticket_id: p.ticketId,
      contact_id: p.contactId,
      step: p.step,
      options: JSON.stringify(p.options),
      by_number: p.byNumber ? 1 : 0,
      created_at: at,
    })
    .onConflict((oc) => oc.columns(['ticket_id', 'step']).doNothing())
    .returningAll()
    .executeTakeFirst()
}

export async function findPrompt(db: Db, id: number): Promise<IntakePrompt | undefined> {
  return db.selectFrom('intake_prompts').selectAll().where('id', '=', id).executeTakeFirst()
}

/**
 * What of a ticket still waits for the customer's typed answer, if anything: its numbered-text menu
 * (`number`), or its intake question (`question`, a prompt whose step is `q:FIELD`).
 */
export async function waitingPrompt(
  db: Db,
  ticketId: number,
  kind: 'number' | 'question',
): Promise<IntakePrompt | undefined> {
  return db
    .selectFrom('intake_prompts')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .$if(kind === 'number', (q) => q.where('by_number', '=', 1))
    .$if(kind === 'question', (q) => q.where('step', 'like', 'q:%'))
    .where('answered_at', 'is', null)
    .where('closed_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst()
}

/** Takes the answer to a menu, once: false when it was answered or closed before. */
export async function answerPrompt(db: Db, id: number, answer: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('intake_prompts')
    .set({ answered_at: at, answer })
    .where('id', '=', id)
    .where('answered_at', 'is', null)
    .where('closed_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** Stops a menu from taking answers (the customer wrote on instead of choosing). */
export async function closePrompt(db: Db, id: number, at: string): Promise<void> {
  await db.updateTable('intake_prompts').set({ closed_at: at }).where('id', '=', id).execute()
}

/** Sets one of a ticket's answered fields, replacing what was there. */
export async function setAnswer(
  db: Db,
  a: { ticketId: number; field: string; value: string },
  at: string,
): Promise<void> {
  await db
    .insertInto('ticket_answers')
    .values({ ticket_id: a.ticketId, field: a.field, value: a.value, created_at: at })
    .onConflict((oc) => oc.columns(['ticket_id', 'field']).doUpdateSet({ value: a.value, created_at: at }))
    .execute()
}

const answersOfTicket = compiledOnce((db, t: { ticketId: number }) =>
  db
    .selectFrom('ticket_answers')
    .select(['field', 'value'])
    .where('ticket_id', '=', t.ticketId)
    .orderBy('created_at')
    .orderBy('field'),
)

/** A ticket's answered fields, in the order they were given. */
export async function answersOf(db: Db, ticketId: number): Promise<{ field: string; value: string }[]> {
  return (await answersOfTicket(db, { ticketId })).rows
}

/** One contact's own tickets, newest first: what "my requests" shows, and nothing else. */
export async function ticketsOfContact(
  db: Db,
  contactId: number,
  limit: number,
): Promise<{ id: number; type: string | null; status: string; updated_at: string }[]> {
  return db
    .selectFrom('tickets')
    .select(['id', 'type', 'status', 'updated_at'])
    .where('contact_id', '=', contactId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

/** The steps a ticket was asked already. */
export async function askedSteps(db: Db, ticketId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('intake_prompts')
    .select('step')
    .where('ticket_id', '=', ticketId)
    .execute()
  return rows.map((r) => r.step)
}

/** Every question of every type, in every language, in the order they were added. */
export async function allQuestions(db: Db): Promise<IntakeQuestion[]> {
  return db.selectFrom('intake_questions').selectAll().orderBy('id').execute()
}

/** The questions of one type, in the order they were added, each in every language it has. */
export async function questionsOf(db: Db, ticketType: string): Promise<IntakeQuestion[]> {
  return db
    .selectFrom('intake_questions')
    .selectAll()
    .where('ticket_type', '=', ticketType)
    .orderBy('id')
    .execute()
}

/** Adds a question, or changes its text in that language. */
export async function saveQuestion(
  db: Db,
  q: { ticketType: string; field: string; language: string; text: string },
  at: string,
): Promise<void> {
  await db
    .insertInto('intake_questions')
    .values({ ticket_type: q.ticketType, field: q.field, language: q.language, text: q.text, created_at: at })
    .onConflict((oc) => oc.columns(['ticket_type', 'field', 'language']).doUpdateSet({ text: q.text }))
    .execute()
}

/** Removes a question in every language; false when there was none. */
export async function removeQuestion(db: Db, ticketType: string, field: string): Promise<boolean> {
  const result = await db
    .deleteFrom('intake_questions')
    .where('ticket_type', '=', ticketType)
    .where('field', '=', field)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}
