import type { Db } from '../db/connection.js'
import { insertAttachments } from '../db/repos/attachments.js'
import { contactWithLatestTicket, keepContact } from '../db/repos/contacts.js'
import { enqueueDelivery } from '../db/repos/deliveries.js'
import { recordEvent } from '../db/repos/events.js'
import { insertMessage, replyByExternalId, setDeliveryStatus } from '../db/repos/messages.js'
import { markProcessed } from '../db/repos/processed-events.js'
import { closeAtBirth } from '../db/repos/intake.js'
import { createTicket, setCustomerWrote } from '../db/repos/tickets.js'
import type { Contact, Ticket } from '../db/schema.js'
import type { Work } from './work.js'
import { iso } from './clock.js'
import { wellFormed } from './inbound-shape.js'
import { statusAfterCustomerMessage } from './lifecycle.js'
import { asTicketId, type TicketId } from './model.js'
import type { DeliveryStatusUpdate, DeskNotice, InboundMessage } from './ports.js'
import { applyRules } from './rules.js'
import { textFor } from './templates.js'
import { fillTemplate } from './texts.js'
import { attachmentOf } from './files.js'
import type { HelpDeskDeps } from './desk-deps.js'
import type { TicketSteps } from './ticket-steps.js'
import type { Undelivered } from './ticket-facts.js'
import { emitTicketEvent } from './webhook-events.js'
import { asksForRequests, createTriage } from './triage.js'
import { isMenuChoice } from './menu-choice.js'

const SUBJECT_MAX = 120

const statusRank = { none: 0, sent: 1, delivered: 2, read: 3, failed: 4, cancelled: 5 } as const

type Tx = Db

/**
 * What customers and platforms tell the desk: a customer's message (a new ticket, or one more line
 * on the open one), a platform's report on a sent message, a failed delivery, a notice for the
 * support channel.
 */
export function createIntake(deps: HelpDeskDeps, work: Work, steps: TicketSteps) {
  const { texts } = deps
  const { inTransaction, inSharedTransaction, requireTicket } = work
  const { changeStatus, recordOnce, sendAutomatic, markUndelivered, autoAssign } = steps
  const triage = createTriage(deps, steps)
  const policy = deps.intake

  /**
   * When the customer wrote, by the platform's clock: reply windows count from there, not from when
   * the message reached us (a backlog delivered late must not stretch them). Never in the future.
   */
  function writtenAt(msg: InboundMessage, now: string): string {
    const sent = msg.sentAt.getTime()
    return Number.isFinite(sent) && sent < new Date(now).getTime() ? iso(msg.sentAt) : now
  }

  async function openTicket(
    tx: Tx,
    msg: InboundMessage,
    contactId: number,
    previous: Ticket | undefined,
    now: string,
    asWork = true,
  ) {
    const subject = msg.text.trim().slice(0, SUBJECT_MAX) || `[${msg.kind}]`
    const ticket = await createTicket(
      tx,
      {
        contactId,
        channel: msg.channel,
        subject,
        followUpOf: previous?.id ?? null,
        lastCustomerMessageAt: writtenAt(msg, now),
      },
      now,
    )
    await recordEvent(
      tx,
      {
        ticketId: ticket.id,
        actor: 'customer',
        action: 'created',
        to: 'new',
        from: previous === undefined ? null : `follow-up of #${previous.id}`,
      },
      now,
    )
    if (!asWork) return ticket
    await enqueueDelivery(tx, ticket.id, { type: 'desk.open' }, now)
    if (deps.lookUpCustomers === true) await enqueueDelivery(tx, ticket.id, { type: 'customer.info' }, now)
    return ticket
  }

  /**
   * The out-of-hours line for a customer who writes while the team is away, once per ticket per
   * closed period (the period is named by the moment the team opens again).
   */
  async function awayNotice(
    tx: Tx,
    ticketId: number,
    language: string | null,
    now: string,
  ): Promise<string | undefined> {
    const { hours } = deps
    if (hours === undefined || hours.isOpen(new Date(now))) return undefined
    const opens = hours.nextOpening(new Date(now))
    const period = opens.toISOString()
    if (!(await recordOnce(tx, ticketId, 'after_hours_reply', period, now))) return undefined
    return fillTemplate(await textFor(tx, 'afterHours', language, texts), {
      'business.opens': hours.format(opens),
    })
  }

  /** Under CONTACT_POLICY=known, whether a contact is neither on the allow-list nor let in from Slack. */
  function isUnknown(contact: Contact): boolean {
    if (policy?.contactPolicy !== 'known' || contact.allowed_at !== null) return false
    return !policy.allowList.includes(`${contact.channel}:${contact.external_id}`)
  }

  /** Keeps a message that opens no work: on its ticket, with nothing posted and nobody paged. */
  async function keepQuietly(tx: Tx, ticketId: number, msg: InboundMessage, now: string) {
    await insertMessage(tx, {
      ticket_id: ticketId,
      direction: 'inbound',
      kind: msg.kind,
      text: msg.text,
      external_id: msg.externalId,
      created_at: now,
    })
  }

  /**
   * A contact the policy does not let in: their first message gets the configured answer and a
   * ticket created closed (`/tickets closed:unknown` lists them); later ones join it in silence.
   */
  async function refuseUnknown(
    tx: Tx,
    msg: InboundMessage,
    contact: Contact,
    latest: Ticket | undefined,
    now: string,
  ): Promise<TicketId> {
    if (latest?.closed_reason === 'unknown') {
      await keepQuietly(tx, latest.id, msg, now)
      return asTicketId(latest.id)
    }
    const ticket = await openTicket(tx, msg, contact.id, latest, now, false)
    await closeAtBirth(tx, ticket.id, 'unknown', now)
    await recordEvent(
      tx,
      { ticketId: ticket.id, actor: 'system', action: 'status', from: 'new', to: 'closed' },
      now,
    )
    await keepQuietly(tx, ticket.id, msg, now)
    const text = fillTemplate(await textFor(tx, 'unknownContact', contact.language, texts), {
      'customer.name': contact.display_name,
    })
    await enqueueDelivery(
      tx,
      ticket.id,
      { type: 'customer.direct', channel: contact.channel, to: contact.external_id, text },
      now,
    )
    return asTicketId(ticket.id)
  }

  return {
    /**
     * Stores a customer's message: finds or creates the contact, appends to their live ticket or
     * opens one (a follow-up when the last one is closed), and queues what Slack and the customer
     * should see. A redelivered message changes nothing.
     */
    async receive(raw: InboundMessage): Promise<{ ticketId: TicketId | null; duplicate: boolean }> {
      const msg = wellFormed(raw)
      // Messages arriving together are stored together: one commit for the burst.
      return inSharedTransaction(async (tx, now) => {
        if (!(await markProcessed(tx, msg.channel, msg.externalId, now))) {
          return { ticketId: null, duplicate: true }
        }
        const known = await contactWithLatestTicket(tx, msg.channel, msg.contact.externalId)
        const contact = await keepContact(tx, msg.channel, msg.contact, known?.contact, now)
        const latest = known?.latest
        const live = latest !== undefined && latest.status !== 'closed' ? latest : undefined
        const liveId = live === undefined ? null : asTicketId(live.id)

        if (contact.blocked_at !== null) {
          // Blocked: kept, and nothing else. The customer is not told.
          if (latest !== undefined) await keepQuietly(tx, latest.id, msg, now)
          return { ticketId: null, duplicate: false }
        }
        if (msg.choice !== undefined && isMenuChoice(msg.choice.id)) {
          await triage.choose(tx, contact, msg.choice.id, msg.choice.menuMessage, now)
          return { ticketId: liveId, duplicate: false }
        }
        if (msg.kind === 'text' && asksForRequests(msg.text)) {
          await triage.listRequests(tx, contact, now)
          return { ticketId: liveId, duplicate: false }
        }
        if (msg.kind === 'start' && msg.reference !== undefined)
          await triage.keepReference(tx, contact, live, msg.reference, now)
        if (msg.kind !== 'start' && live === undefined && isUnknown(contact)) {
          return { ticketId: await refuseUnknown(tx, msg, contact, latest, now), duplicate: false }
        }
        if (live !== undefined && msg.kind === 'text' && triage.enabled) {
          if ((await triage.answer(tx, live, contact, msg.text, now)) === 'consumed')
            return { ticketId: liveId, duplicate: false }
        }

        if (msg.kind === 'start') {
          // A conversation opened without a question: greet, open nothing.
          if (live !== undefined) return { ticketId: liveId, duplicate: false }
          const greeting = await textFor(tx, 'greeting', contact.language, texts)
          const text = fillTemplate(greeting, { 'customer.name': contact.display_name })
          await enqueueDelivery(
            tx,
            null,
            { type: 'customer.direct', channel: msg.channel, to: contact.external_id, text },
            now,
          )
          return { ticketId: null, duplicate: false }
        }

        const ticket = live ?? (await openTicket(tx, msg, contact.id, latest, now))
        if (live === undefined) {
          // Rules first: the type they set may route the ticket to an assignment group.
          await applyRules(
            tx,
            ticket,
            { text: msg.text, channel: msg.channel, language: contact.language },
            now,
          )
          await triage.takeReference(tx, contact, ticket, now)
          await emitTicketEvent(tx, 'ticket.created', ticket.id, now)
          // Read again only when assigning: the rules may have set the type that routes it.
          if (deps.assignment !== undefined) await autoAssign(tx, await requireTicket(tx, ticket.id), now)
        }
        const message = await insertMessage(tx, {
          ticket_id: ticket.id,
          direction: 'inbound',
          kind: msg.kind,
          text: msg.text,
          external_id: msg.externalId,
          created_at: now,
        })
        await enqueueDelivery(tx, ticket.id, { type: 'desk.entry', messageId: message.id }, now)
        // Each file follows its message into the thread, fetched from the platform when its turn comes.
        const files = msg.files ?? []
        const attachmentIds = await insertAttachments(
          tx,
          { id: message.id, ticketId: ticket.id, direction: 'inbound' },
          files.map(attachmentOf),
          now,
        )
        for (const attachmentId of attachmentIds)
          await enqueueDelivery(tx, ticket.id, { type: 'desk.file', attachmentId }, now)
        await emitTicketEvent(tx, 'message.created', ticket.id, now, { message })

        const away = await awayNotice(tx, ticket.id, contact.language, now)
        if (live === undefined) {
          const text = fillTemplate(await textFor(tx, 'ticketOpened', contact.language, texts), {
            'ticket.number': String(ticket.id),
            'customer.name': contact.display_name,
          })
          await sendAutomatic(tx, ticket.id, away === undefined ? text : `${text} ${away}`, now)
          if (triage.enabled) await triage.askKind(tx, ticket, contact, now)
        } else {
          if (away !== undefined) await sendAutomatic(tx, ticket.id, away, now)
          const next = statusAfterCustomerMessage(live.status)
          if (next !== live.status) {
            await changeStatus(tx, live, next, { actor: 'customer' }, now)
            await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
          }
          await setCustomerWrote(
            tx,
            ticket.id,
            {
              writtenAt: writtenAt(msg, now),
              // After an agent's answer, the customer's next message starts the next-response clock.
              awaitingReplySince: live.first_response_at === null ? null : (live.awaiting_reply_since ?? now),
            },
            now,
          )
        }
        return { ticketId: asTicketId(ticket.id), duplicate: false }
      })
    },

    /**
     * Applies a platform's report on a sent message: delivered and read mark the reply in its
     * thread, a failure is said there with the platform's reason. Reports never move backwards.
     */
    async deliveryStatus(update: DeliveryStatusUpdate): Promise<void> {
      await inTransaction(async (tx, now) => {
        const message = await replyByExternalId(tx, update.channel, update.externalMessageId)
        if (message === undefined) return
        if (statusRank[update.status] <= statusRank[message.delivery_status ?? 'none']) return
        await setDeliveryStatus(tx, message.id, update.status)
        if (update.status === 'failed') {
          const reason = update.reason ?? 'no reason given'
          const fact = { kind: 'undelivered', what: 'message', reportedBy: update.channel, reason } as const
          await markUndelivered(tx, message.ticket_id, fact, now)
        } else if (update.status !== 'sent') {
          const reaction = update.status === 'read' ? 'eyes' : 'white_check_mark'
          await enqueueDelivery(
            tx,
            message.ticket_id,
            { type: 'desk.react', messageId: message.id, reaction },
            now,
          )
        }
      })
    },

    /** Records that a delivery failed for good, where the agents of the ticket will see it. */
    async reportUndelivered(ticketId: number, fact: Undelivered): Promise<void> {
      await inTransaction((tx, now) => markUndelivered(tx, ticketId, fact, now))
    },

    /** Queues a notice for the support channel. */
    async notify(notice: DeskNotice): Promise<void> {
      await inTransaction(async (tx, now) => {
        const image = notice.image && {
          filename: notice.image.filename,
          pngBase64: notice.image.png.toString('base64'),
        }
        await enqueueDelivery(
          tx,
          null,
          { type: 'desk.notice', text: notice.text, ...(image && { image }) },
          now,
        )
      })
    },
  }
}

export type Intake = ReturnType<typeof createIntake>
