import type { Db } from '../db/connection.js'
import { deskUserIdOf } from '../db/repos/agents.js'
import { attachmentsOf } from '../db/repos/attachments.js'
import { findContact } from '../db/repos/contacts.js'
import {
  absorbEntries,
  absorbLaterUpdates,
  enqueueDelivery,
  queuedBehind,
  queueNextBehind,
  setPartsSent,
} from '../db/repos/deliveries.js'
import { findMessage, firstInboundOf, markMessageSent, setDeskTs } from '../db/repos/messages.js'
import { forgetNoticeFiles, noticeFiles } from '../db/repos/notice-files.js'
import { findTicketDetail, setCustomerInfo, setThread, type TicketDetail } from '../db/repos/tickets.js'
import type { Attachment, Delivery, Message } from '../db/schema.js'
import { iso, type Clock } from './clock.js'
import type { CustomerInfo } from './customer-info.js'
import type { DeliveryPayload } from './delivery.js'
import { UNDO_SENT, UNDO_WAITING } from './desk-deps.js'
import { DeskError } from './errors.js'
import type { Channel } from './model.js'
import type {
  AgentDesk,
  ChannelAdapter,
  TemplateMessage,
  ThreadEntry,
  ThreadRef,
  TicketView,
} from './ports.js'
import { splitText } from './split-text.js'
import { createFileCalls, type FilePolicy } from './file-calls.js'
import { toTicketView } from './views.js'
import { emitTicketEvent } from './webhook-events.js'
import { createWebhookCall, type WebhookDelivery } from './webhook-call.js'

/** What the outbox's calls need: the database, the desk, the channels, and how long a call may take. */
export interface CallDeps {
  readonly db: Db
  readonly clock: Clock
  readonly desk: AgentDesk
  readonly channels: ReadonlyMap<Channel, ChannelAdapter>
  readonly policy: { readonly sendTimeoutMs: number; readonly undoWindow: boolean }
  /** Looks a customer up at CUSTOMER_INFO_URL; never throws. */
  readonly customerInfo?: (contact: {
    channel: string
    id: string
    name: string
    username: string | null
  }) => Promise<CustomerInfo>
  /** The SLA line of a ticket's root message, as it stands when the message is posted. */
  readonly slaOf?: (ticketId: number, now: Date) => Promise<TicketView['sla']>
  /** Which files may travel, and whether their bytes are kept. */
  readonly files?: FilePolicy
  /** Outgoing webhooks: who posts them, and how long an endpoint may fail before it is paused. */
  readonly webhooks?: WebhookDelivery
}

/**
 * What a call leaves to record once the platform took it (a thread's ts, a post's ts), run in the
 * transaction that ends its row: all of it is recorded, or none and the row is worked again.
 */
export type Bookkeeping = (tx: Db, at: string) => Promise<void>

/**
 * A Slack post's record, and then its thread's next row queues behind the posts that waited for the
 * channel while this one went. Slack takes about one post a second in a channel: without this, a
 * thread's next post, queued long ago, would go before every ticket that waited meanwhile, and with
 * only what had arrived by then; after them, each ticket gets its turn, and what a customer writes
 * meanwhile gathers to be shown in that one post.
 */
function posted(row: Delivery, record: Bookkeeping): Bookkeeping {
  return async (tx, at) => {
    await record(tx, at)
    await queueNextBehind(tx, row, at)
  }
}

/** The most thread entries one post is offered: no desk shows more in one message (Slack: 50 blocks). */
const MAX_ENTRIES_PER_POST = 50

/** A thread entry queued behind the one being posted, with its row and message. */
interface QueuedEntry {
  readonly row: Delivery
  readonly message: Message
  readonly entry: ThreadEntry
}

/**
 * The work of one delivery: the platform call it stands for, each under the send timeout, and the
 * bookkeeping that records it (the parts of a long reply and its id as they leave; a post's ts in
 * the step that ends its row). Throws what the platform answered; the worker decides what that means.
 */
export function createCalls(deps: CallDeps) {
  const { db, clock, desk, channels, policy } = deps
  const files = createFileCalls({
    db,
    desk,
    channels,
    sendTimeoutMs: policy.sendTimeoutMs,
    policy: deps.files,
  })
  const webhookCall = createWebhookCall(deps, (call) => timed('webhook endpoint', call))

  function withThread(t: TicketDetail): TicketView & { thread: ThreadRef } {
    const view = toTicketView(t)
    if (view.thread === null) {
      throw new DeskError(
        'rejected',
        `ticket #${t.id} has no Slack thread (its root message was never posted)`,
      )
    }
    return { ...view, thread: view.thread }
  }

  async function withSla<T extends TicketView>(view: T): Promise<T> {
    const sla = await deps.slaOf?.(view.id, clock.now())
    return sla === undefined ? view : { ...view, sla }
  }

  /**
   * The customer's first message, when its entry is the next row of the ticket's desk lane and it
   * has no post yet: the root can show it, and it then needs no post of its own.
   */
  async function openingBehind(
    row: Delivery,
    ticketId: number,
  ): Promise<{ row: Delivery; message: Message } | undefined> {
    const [next] = await queuedBehind(db, row, 1)
    if (next === undefined) return undefined
    const payload = JSON.parse(next.payload) as DeliveryPayload
    if (payload.type !== 'desk.entry') return undefined
    const first = await firstInboundOf(db, ticketId)
    if (first?.id !== payload.messageId || first.desk_ts !== null) return undefined
    return { row: next, message: first }
  }

  /** The view with the customer's first message when the root shows it (the message has the root's ts). */
  async function withOpening<T extends TicketView & { thread: ThreadRef }>(view: T): Promise<T> {
    const first = await firstInboundOf(db, view.id)
    if (first?.desk_ts !== view.thread.ts) return view
    return { ...view, opening: { kind: first.kind, text: first.text } }
  }

  function adapterFor(channel: Channel): ChannelAdapter {
    const adapter = channels.get(channel)
    if (adapter === undefined) {
      throw new DeskError('rejected', `the ${channel} channel is not enabled (its token is not configured)`)
    }
    return adapter
  }

  /** Runs one platform call, which counts as failed (and may be tried again) after the send timeout. */
  async function timed<T>(what: string, call: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new DeskError('unavailable', `${what} did not answer within ${policy.sendTimeoutMs} ms`, {
              platformCode: 'timeout',
            }),
          ),
        policy.sendTimeoutMs,
      )
    })
    try {
      return await Promise.race([call(), timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  async function entryOf(message: Message): Promise<ThreadEntry> {
    // A reply's files were attached to a form, not to a thread post: the thread names them.
    const files =
      message.direction === 'outbound' ? (await attachmentsOf(db, message.id)).map((a) => a.name) : []
    return {
      direction: message.direction,
      kind: message.kind,
      text: message.text,
      author: await deskUserIdOf(db, message.agent_id),
      ...(files.length > 0 && { files }),
    }
  }

  /**
   * The thread entries queued right behind `row`, with nothing else between them, whose messages
   * have no post yet: what one post may show along with `row`'s own entry.
   */
  async function entriesBehind(row: Delivery): Promise<QueuedEntry[]> {
    const entries: QueuedEntry[] = []
    for (const next of await queuedBehind(db, row, MAX_ENTRIES_PER_POST - 1)) {
      const payload = JSON.parse(next.payload) as DeliveryPayload
      if (payload.type !== 'desk.entry') break
      const message = await findMessage(db, payload.messageId)
      // A message with a post of its own already goes alone, as it always did.
      if (message === undefined || message.desk_ts !== null) break
      entries.push({ row: next, message, entry: await entryOf(message) })
    }
    return entries
  }

  /**
   * Posts a thread entry, together with the entries queued right behind it when there are any: the
   * messages it shows get that post's ts, and their rows end with this one.
   */
  async function postEntry(row: Delivery, ticket: TicketDetail, messageId: number): Promise<Bookkeeping> {
    const message = await findMessage(db, messageId)
    if (message === undefined) throw new DeskError('rejected', `message ${messageId} does not exist`)
    const view = withThread(ticket)
    const entry = await entryOf(message)
    const behind = message.desk_ts === null ? await entriesBehind(row) : []
    if (behind.length === 0) {
      const { ts } = await timed('Slack', () => desk.postToThread(view, entry))
      return posted(row, async (tx) => {
        if (message.desk_ts === null) await setDeskTs(tx, message.id, ts)
      })
    }
    const { ts, count } = await timed('Slack', () =>
      desk.postEntries(view, [entry, ...behind.map((b) => b.entry)]),
    )
    const shown = behind.slice(0, Math.max(0, count - 1))
    return posted(row, async (tx, at) => {
      for (const m of [message, ...shown.map((b) => b.message)]) await setDeskTs(tx, m.id, ts)
      await absorbEntries(
        tx,
        shown.map((b) => b.row.id),
        at,
      )
    })
  }

  /**
   * What a reply leaves as, in order: its text in parts the platform takes, and its files. The text
   * rides as the first file's caption when it fits one; otherwise it goes first, on its own.
   */
  function partsOf(
    text: string,
    attachments: readonly Attachment[],
    adapter: ChannelAdapter,
    template: TemplateMessage | undefined,
  ): ({ text: string } | { file: Attachment; caption: string })[] {
    const limit = adapter.traits?.textLimit
    const textParts = () =>
      template !== undefined || limit === undefined
        ? [{ text }]
        : splitText(text, limit).map((t) => ({ text: t }))
    if (attachments.length === 0) return textParts()
    const captionLimit = adapter.traits?.files?.captionLimit ?? 0
    const asCaption = text !== '' && [...text].length <= captionLimit
    return [
      ...(text === '' || asCaption ? [] : textParts()),
      ...attachments.map((file, i) => ({ file, caption: asCaption && i === 0 ? text : '' })),
    ]
  }

  async function sendToCustomer(
    row: Delivery,
    ticket: TicketDetail,
    messageId: number,
  ): Promise<Bookkeeping> {
    const message = await findMessage(db, messageId)
    if (message === undefined) throw new DeskError('rejected', `message ${messageId} does not exist`)
    if (message.direction !== 'outbound') {
      // The one gate every customer send passes: notes and system lines never leave the desk.
      throw new DeskError('rejected', `message ${message.id} is a ${message.direction}, not a reply`)
    }
    const contact = await findContact(db, ticket.contact_id)
    if (contact === undefined) throw new DeskError('rejected', `ticket #${ticket.id} has no contact`)
    const adapter = adapterFor(ticket.channel)
    const template = message.template === null ? undefined : (JSON.parse(message.template) as TemplateMessage)
    const parts = partsOf(message.text, await attachmentsOf(db, message.id), adapter, template)
    const lastCustomerMessageAt =
      ticket.last_customer_message_at === null ? undefined : new Date(ticket.last_customer_message_at)
    let externalId = message.external_id
    // A long reply resumes after the parts that already left.
    for (let i = row.parts_sent; i < parts.length; i++) {
      const part = parts[i]!
      if ('file' in part) {
        const sent = await files.sendFile(adapter, part.file, {
          channel: ticket.channel,
          to: contact.external_id,
          caption: part.caption,
          ...(lastCustomerMessageAt && { lastCustomerMessageAt }),
        })
        await sent.record(db, iso(clock.now()))
        externalId = sent.externalMessageId
      } else {
        const sent = await timed(`${ticket.channel} send`, () =>
          adapter.send({
            channel: ticket.channel,
            to: contact.external_id,
            text: part.text,
            ...(template && { template }),
            ...(lastCustomerMessageAt && { lastCustomerMessageAt }),
          }),
        )
        externalId = sent.externalMessageId
      }
      if (i < parts.length - 1) await setPartsSent(db, row.id, i + 1)
    }
    // Sent, and public now, with the row's end: endpoints hear of it once, whatever sends it again
    // after a crash.
    return async (tx, at) => {
      await markMessageSent(tx, message.id, externalId, at)
      await emitTicketEvent(
        tx,
        'message.created',
        ticket.id,
        at,
        { message: { ...message, delivered_at: at } },
        `evt_msg_${message.id}`,
      )
      if (policy.undoWindow && message.desk_ts !== null && message.agent_id !== null) {
        // A reply typed in the thread: its ⏳ (the undo window) becomes ✅.
        await enqueueDelivery(
          tx,
          ticket.id,
          { type: 'desk.react', messageId: message.id, reaction: UNDO_SENT, replaces: UNDO_WAITING },
          at,
        )
      }
    }
  }

  async function perform(
    row: Delivery,
    payload: DeliveryPayload,
    ticket: TicketDetail | undefined,
  ): Promise<Bookkeeping | undefined> {
    if (payload.type === 'desk.alert') {
      await timed('Slack', () => desk.postAlert(payload.alert))
      return
    }
    if (payload.type === 'desk.notice') {
      const { image, to, fileIds = [] } = payload
      const files = [
        ...(await noticeFiles(db, fileIds)),
        ...(payload.files ?? []).map((f) => ({
          filename: f.filename,
          bytes: Buffer.from(f.base64, 'base64'),
        })),
      ]
      await timed('Slack', () =>
        desk.postNotice({
          text: payload.text,
          ...(image && {
            image: { filename: image.filename, png: Buffer.from(image.pngBase64, 'base64') },
          }),
          ...(to !== undefined && { to }),
          ...(files.length > 0 && { files }),
        }),
      )
      return (tx) => forgetNoticeFiles(tx, fileIds)
    }
    if (payload.type === 'customer.direct') {
      await timed(`${payload.channel} send`, () =>
        adapterFor(payload.channel).send({
          channel: payload.channel,
          to: payload.to,
          text: payload.text,
          ...(payload.choices !== undefined && { choices: payload.choices }),
          ...(payload.replaces !== undefined && { replaces: payload.replaces }),
        }),
      )
      return
    }
    if (payload.type === 'webhook.event') {
      await webhookCall(payload.endpointId, payload.eventId)
      return
    }
    if (ticket === undefined) throw new DeskError('rejected', `delivery ${row.id} names no existing ticket`)
    switch (payload.type) {
      case 'desk.open': {
        const opening = await openingBehind(row, ticket.id)
        const view = await withSla({
          ...toTicketView(ticket),
          ...(opening !== undefined && {
            opening: { kind: opening.message.kind, text: opening.message.text },
          }),
        })
        const ref = await timed('Slack', () => desk.openThread(view))
        return posted(row, async (tx, at) => {
          await setThread(tx, ticket.id, ref)
          if (opening === undefined || !ref.showsOpening) return
          // The root shows the customer's first message: that is its post, and its entry is done.
          await setDeskTs(tx, opening.message.id, ref.ts)
          await absorbEntries(tx, [opening.row.id], at)
        })
      }
      case 'desk.update': {
        await absorbLaterUpdates(db, ticket.id, row.id, iso(clock.now()))
        // Read again after absorbing, so the post shows every change the absorbed rows stood for.
        const fresh = (await findTicketDetail(db, ticket.id)) ?? ticket
        const view = await withSla(await withOpening(withThread(fresh)))
        await timed('Slack', () => desk.updateThread(view))
        return
      }
      case 'desk.entry':
        return postEntry(row, ticket, payload.messageId)
      case 'desk.file': {
        const thread = withThread(ticket).thread
        const record = await files.postFile(ticket.channel, thread, payload.attachmentId, row.attempts)
        return record === undefined ? undefined : posted(row, record)
      }
      case 'desk.react': {
        const message = await findMessage(db, payload.messageId)
        // Only posts in the thread can carry a reaction; a reply without one has nothing to mark.
        if (message?.desk_ts == null) return
        const thread = withThread(ticket).thread
        await timed('Slack', () => desk.react(thread, message.desk_ts!, payload.reaction, payload.replaces))
        return
      }
      case 'customer.info': {
        if (deps.customerInfo === undefined) return
        const info = await deps.customerInfo({
          channel: ticket.channel,
          id: ticket.contact_external_id,
          name: ticket.customer_name,
          username: ticket.customer_username,
        })
        await setCustomerInfo(db, ticket.id, JSON.stringify(info))
        await enqueueDelivery(db, ticket.id, { type: 'desk.update' }, iso(clock.now()))
        return
      }
      case 'customer.message':
        return sendToCustomer(row, ticket, payload.messageId)
    }
  }

  return { perform }
}
