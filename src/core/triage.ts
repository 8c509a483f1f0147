import type { Db } from '../db/connection.js'
import { enqueueDelivery } from '../db/repos/deliveries.js'
import { recordEvent } from '../db/repos/events.js'
import {
  answerPrompt,
  closePrompt,
  findPrompt,
  insertPrompt,
  setAnswer,
  setPendingReference,
  ticketsOfContact,
  waitingNumberPrompt,
} from '../db/repos/intake.js'
import { findTicket, setTicketField } from '../db/repos/tickets.js'
import type { Contact, Ticket } from '../db/schema.js'
import type { HelpDeskDeps } from './desk-deps.js'
import { statusLabel, type Priority, type TicketStatus } from './model.js'
import type { OutboundChoice } from './ports.js'
import { textFor } from './templates.js'
import { fillTemplate } from './texts.js'
import type { TicketSteps } from './ticket-steps.js'
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

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/[_-]/g, ' ')

/** What a customer can be told about a status, in plain words. */
const shownStatus = (s: TicketStatus) => statusLabel[s]

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

    const field = prompt.step === 'urgency' ? 'priority' : 'type'
    if (ticket[field] !== value) {
      await setTicketField(tx, ticket.id, field, value, now)
      await recordEvent(
        tx,
        { ticketId: ticket.id, actor: 'customer', action: field, from: ticket[field], to: value },
        now,
      )
    }
    await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
    // The kind of request may route the ticket to an assignment group: assign once it is known.
    if (field === 'type' && ticket.assignee_id === null && deps.assignment !== undefined) {
      const fresh = await findTicket(tx, ticket.id)
      if (fresh !== undefined) await steps.autoAssign(tx, fresh, now)
    }
    if (menuMessage !== undefined) {
      await direct(tx, ticket.id, contact, `✓ ${capitalize(value)}`, now, { replaces: menuMessage })
    }
    if (prompt.step === 'type' && menu?.urgency === true) await ask(tx, ticket, contact, 'urgency', now)
    return true
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
        `#${t.id} · ${t.type === null ? '—' : capitalize(t.type)} · ${shownStatus(t.status as TicketStatus)} · ${t.updated_at.slice(0, 10)}`,
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
     * A text message on a live ticket whose numbered menu waits: a number in range answers it
     * (true: the message is the answer and nothing else); anything else means the customer wrote
     * on, and the menu takes no later number.
     */
    async answerByNumber(
      tx: Tx,
      ticket: Ticket,
      contact: Contact,
      text: string,
      now: string,
    ): Promise<boolean> {
      const prompt = await waitingNumberPrompt(tx, ticket.id)
      if (prompt === undefined) return false
      const n = /^\s*(\d{1,3})\s*[.)]?\s*$/.exec(text)
      const count = (JSON.parse(prompt.options) as string[]).length
      if (n !== null && Number(n[1]) >= 1 && Number(n[1]) <= count) {
        return choose(tx, contact, choiceId(prompt.id, Number(n[1]) - 1), undefined, now)
      }
      await closePrompt(tx, prompt.id, now)
      return false
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
