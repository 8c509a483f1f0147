import type { Db } from '../db/connection.js'
import { enqueueDelivery } from '../db/repos/deliveries.js'
import { recordEvent } from '../db/repos/events.js'
import {
  answerPrompt,
  askedSteps,
  closePrompt,
  findPrompt,
  insertPrompt,
  questionsOf,
  setAnswer,
  setPendingReference,
  ticketsOfContact,
  waitingPrompt,
} from '../db/repos/intake.js'
import { findTicket, setTicketField } from '../db/repos/tickets.js'
import type { Contact, IntakeQuestion, Ticket } from '../db/schema.js'
import type { HelpDeskDeps } from './desk-deps.js'
import { statusLabel, type Priority, type TicketStatus } from './model.js'
import type { OutboundChoice } from './ports.js'
import { textFor } from './templates.js'
import { fillTemplate } from './texts.js'
import type { TicketSteps } from './ticket-steps.js'
import { emitTicketEvent } from './webhook-events.js'
import { choiceId, readChoiceId, REQUESTS_CHOICE } from './menu-choice.js'

type Tx = Db

/** The urgencies the second menu offers, as priorities. */
const URGENCIES: readonly Priority[] = ['normal', 'high', 'urgent']

/** How many of a customer's tickets "my requests" lists. */
const REQUESTS_SHOWN = 10

/** Words a customer sends for their list of requests, in the languages the desk knows. */
const REQUEST_WORDS = new Set([
  '/tickets',
  '/status',
  'status',
  'my requests',
  'estado',
  'statut',
  'stato',
  'stand',
  'meine anfragen',
  'статус',
])

/** Whether a message asks for the customer's own list of requests (`/tickets`, "status", "estado"…). */
export function asksForRequests(text: string): boolean {
  const said = text
    .trim()
    .toLowerCase()
    .replace(/^(\/\w+)@\w+$/, '$1')
    .replace(/[.!?¿¡\s]+$/u, '')
  return REQUEST_WORDS.has(said)
}

/** What a customer sends to leave a question unanswered. */
const SKIP_WORDS = new Set(['skip', '-', 'überspringen', 'saltar', 'passer', 'salta', 'пропустить'])

/** A question's prompt step: `q:` and the field its answer is kept in. */
const QUESTION = 'q:'

/** The text of a question for a language: the exact one, its base, the default, else any. */
export function questionText(rows: readonly IntakeQuestion[], language: string | null): string | undefined {
  const lang = language?.toLowerCase() ?? ''
  const wanted = [lang, lang.split('-')[0] ?? '', '']
  for (const l of wanted) {
    const row = rows.find((r) => r.language === l)
    if (row !== undefined) return row.text
  }
  return rows[0]?.text
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/[_-]/g, ' ')

/**
 * The customer's side of intake: the triage menu at the first message, its answers (a tap, or a
 * number typed under a text menu), "my requests", and a deep link's reference. Every step runs in
 * the caller's transaction, after the inbound event was marked processed: a redelivered tap or
 * message changes nothing, and what it causes is queued with it.
 */
export function createTriage(deps: HelpDeskDeps, steps: Pick<TicketSteps, 'autoAssign'>) {
  const { texts } = deps
  const menu = deps.intake?.menu

  function direct(
    tx: Tx,
    ticketId: number | null,
    contact: Contact,
    text: string,
    now: string,
    extra: { choices?: readonly OutboundChoice[]; replaces?: string } = {},
  ) {
    return enqueueDelivery(
      tx,
      ticketId,
      { type: 'customer.direct', channel: contact.channel, to: contact.external_id, text, ...extra },
      now,
    )
  }

  /** Sends one step's menu: the platform's own buttons where it has enough, else numbered text. */
  async function ask(
    tx: Tx,
    ticket: Ticket,
    contact: Contact,
    step: 'type' | 'urgency',
    now: string,
  ): Promise<void> {
    const values = step === 'type' ? (menu?.types ?? []) : URGENCIES
    const max = deps.traits?.get(contact.channel)?.choices ?? 0
    const byNumber = values.length + 1 > max
    const prompt = await insertPrompt(
      tx,
      { ticketId: ticket.id, contactId: contact.id, step, options: values, byNumber },
      now,
    )
    if (prompt === undefined) return
    const question = fillTemplate(
      await textFor(tx, step === 'type' ? 'triageQuestion' : 'urgencyQuestion', contact.language, texts),
      { 'customer.name': contact.display_name },
    )
    const labels = values.map(capitalize)
    if (byNumber) {
      const lines = labels.map((label, i) => `${i + 1}. ${label}`)
      const hint = await textFor(tx, 'chooseByNumber', contact.language, texts)
      await direct(tx, ticket.id, contact, [question, '', ...lines, '', hint].join('\n'), now)
      return
    }
    const choices: OutboundChoice[] = [
      ...labels.map((label, i) => ({ id: choiceId(prompt.id, i), label })),
      { id: REQUESTS_CHOICE, label: await textFor(tx, 'myRequestsButton', contact.language, texts) },
    ]
    await direct(tx, ticket.id, contact, question, now, { choices })
  }

  /**
   * Applies a tapped choice, or a number typed under a text menu. Only a choice of this contact's
   * menu, on a ticket still being worked, answered for the first time, changes anything; an old,
   * repeated or forged one is ignored. Returns whether it was applied.
   */
  async function choose(
    tx: Tx,
    contact: Contact,
    id: string,
    menuMessage: string | undefined,
    now: string,
  ): Promise<boolean> {
    if (id === REQUESTS_CHOICE) {
      await listRequests(tx, contact, now)
      return true
    }
    const named = readChoiceId(id)
    if (named === undefined) return false
    const prompt = await findPrompt(tx, named.promptId)
    if (prompt === undefined || prompt.contact_id !== contact.id) return false
    const values = JSON.parse(prompt.options) as string[]
    const value = values[named.index]
    if (value === undefined) return false
    const ticket = await findTicket(tx, prompt.ticket_id)
    if (ticket === undefined || ticket.status === 'solved' || ticket.status === 'closed') return false
    if (!(await answerPrompt(tx, prompt.id, value, now))) return false

    if (menuMessage !== undefined) {
      await direct(tx, ticket.id, contact, `✓ ${capitalize(value)}`, now, { replaces: menuMessage })
    }
    if (prompt.step.startsWith(QUESTION)) {
      await askNextQuestion(tx, ticket, contact, now)
      return true
    }
    const field = prompt.step === 'urgency' ? 'priority' : 'type'
    if (ticket[field] !== value) {
      await setTicketField(tx, ticket.id, field, value, now)
      await recordEvent(
        tx,
        { ticketId: ticket.id, actor: 'customer', action: field, from: ticket[field], to: value },
        now,
      )
      // Webhook endpoints hear of a priority change, whoever made it (as agents' are).
      if (field === 'priority') {
        const changes = { priority: { from: ticket.priority, to: value } }
        await emitTicketEvent(tx, 'ticket.updated', ticket.id, now, { changes })
      }
    }
    await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
    const fresh = (await findTicket(tx, ticket.id)) ?? ticket
    // The kind of request may route the ticket to an assignment group: assign once it is known.
    if (field === 'type' && fresh.assignee_id === null && deps.assignment !== undefined)
      await steps.autoAssign(tx, fresh, now)
    if (prompt.step === 'type' && menu?.urgency === true) await ask(tx, fresh, contact, 'urgency', now)
    else await askNextQuestion(tx, fresh, contact, now)
    return true
  }

  /**
   * Asks the next question the admins set for the ticket's type that this ticket was not asked
   * yet, with a Skip button where the platform has buttons; nothing when none is left.
   */
  async function askNextQuestion(tx: Tx, ticket: Ticket, contact: Contact, now: string): Promise<void> {
    if (ticket.type === null) return
    const rows = await questionsOf(tx, ticket.type)
    const asked = new Set(await askedSteps(tx, ticket.id))
    const field = rows.map((r) => r.field).find((f) => !asked.has(`${QUESTION}${f}`))
    if (field === undefined) return
    const text = questionText(
      rows.filter((r) => r.field === field),
      contact.language,
    )
    if (text === undefined) return
    const buttons = (deps.traits?.get(contact.channel)?.choices ?? 0) > 0
    const step = `${QUESTION}${field}`
    const prompt = await insertPrompt(
      tx,
      { ticketId: ticket.id, contactId: contact.id, step, options: ['skip'], byNumber: false },
      now,
    )
    if (prompt === undefined) return
    if (buttons) {
      const label = await textFor(tx, 'skipButton', contact.language, texts)
      await direct(tx, ticket.id, contact, text, now, { choices: [{ id: choiceId(prompt.id, 0), label }] })
    } else {
      const hint = await textFor(tx, 'skipHint', contact.language, texts)
      await direct(tx, ticket.id, contact, `${text}\n${hint}`, now)
    }
  }

  /** The customer's own tickets, newest first: number, kind, status, last update; never anyone else's. */
  async function listRequests(tx: Tx, contact: Contact, now: string): Promise<void> {
    const own = await ticketsOfContact(tx, contact.id, REQUESTS_SHOWN)
    const name = { 'customer.name': contact.display_name }
    if (own.length === 0) {
      await direct(
        tx,
        null,
        contact,
        fillTemplate(await textFor(tx, 'noRequests', contact.language, texts), name),
        now,
      )
      return
    }
    const lines = own.map(
      (t) =>
        `#${t.id} · ${t.type === null ? '—' : capitalize(t.type)} · ${statusLabel[t.status as TicketStatus]} · ${t.updated_at.slice(0, 10)}`,
    )
    const heading = fillTemplate(await textFor(tx, 'myRequests', contact.language, texts), name)
    await direct(tx, null, contact, [heading, ...lines].join('\n'), now)
  }

  return {
    /** Whether a new ticket gets the menu. */
    enabled: menu !== undefined,

    /** Sends the triage menu for a ticket just opened. */
    askKind: (tx: Tx, ticket: Ticket, contact: Contact, now: string) => ask(tx, ticket, contact, 'type', now),

    choose,

    listRequests,

    /**
     * A text message on a live ticket, when something waits for the customer's typed answer: under
     * a numbered menu, a number in range answers it (anything else means the customer wrote on, and
     * the menu takes no later number); while a question waits, the text is its answer, kept as the
     * ticket's field and shown on the root card ("skip" leaves it out), and the next question
     * follows. `consumed` when the message was a menu number or a skip and nothing else; `answered`
     * when it answered a question, and is still the customer's message, which reaches the thread
     * like any other (a customer who writes on instead of answering loses nothing).
     */
    async answer(
      tx: Tx,
      ticket: Ticket,
      contact: Contact,
      text: string,
      now: string,
    ): Promise<'consumed' | 'answered' | false> {
      const menuPrompt = await waitingPrompt(tx, ticket.id, 'number')
      if (menuPrompt !== undefined) {
        const n = /^\s*(\d{1,3})\s*[.)]?\s*$/.exec(text)
        const count = (JSON.parse(menuPrompt.options) as string[]).length
        if (n !== null && Number(n[1]) >= 1 && Number(n[1]) <= count) {
          const chosen = await choose(tx, contact, choiceId(menuPrompt.id, Number(n[1]) - 1), undefined, now)
          return chosen ? 'consumed' : false
        }
        await closePrompt(tx, menuPrompt.id, now)
        return false
      }
      const question = await waitingPrompt(tx, ticket.id, 'question')
      if (question === undefined) return false
      const answer = text.trim()
      const skipped = SKIP_WORDS.has(answer.toLowerCase())
      if (!(await answerPrompt(tx, question.id, skipped ? '' : answer, now))) return false
      if (!skipped) {
        const field = question.step.slice(QUESTION.length)
        await setAnswer(tx, { ticketId: ticket.id, field, value: answer }, now)
        await recordEvent(tx, { ticketId: ticket.id, actor: 'customer', action: 'answered', to: field }, now)
        await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
      }
      await askNextQuestion(tx, ticket, contact, now)
      return skipped ? 'consumed' : 'answered'
    },

    /** Keeps a deep link's reference: on the live ticket, else for the contact's next one. */
    async keepReference(tx: Tx, contact: Contact, live: Ticket | undefined, reference: string, now: string) {
      if (live === undefined) {
        await setPendingReference(tx, contact.id, reference)
        return
      }
      await setAnswer(tx, { ticketId: live.id, field: 'reference', value: reference }, now)
      await enqueueDelivery(tx, live.id, { type: 'desk.update' }, now)
    },

    /** Gives a ticket just opened the reference its contact came with. */
    async takeReference(tx: Tx, contact: Contact, ticket: Ticket, now: string) {
      if (contact.pending_reference === null) return
      await setAnswer(tx, { ticketId: ticket.id, field: 'reference', value: contact.pending_reference }, now)
      await setPendingReference(tx, contact.id, null)
    },
  }
}

export type Triage = ReturnType<typeof createTriage>
