import type { IncomingMessage, ServerResponse } from 'node:http'
import type { DeskAlert } from './delivery.js'
import type { Rate } from './pacer.js'
import type { Channel, MessageDirection, MessageKind, Priority, TicketId, TicketStatus } from './model.js'

/** What the customer-info callback said, as the root message shows it. */
export type CustomerInfo =
  { readonly fields: readonly (readonly [string, string])[] } | { readonly unavailable: string }

/** A customer identity as a platform describes it. */
export interface InboundContact {
  /** The platform's id of the conversation we answer into (a Telegram chat id, a WhatsApp number…). */
  readonly externalId: string
  readonly displayName: string
  readonly username?: string
  /** IETF language tag, when the platform tells it. */
  readonly language?: string
  /** A picture of the customer, where the platform has one. */
  readonly avatarUrl?: string
  /** The name is a stand-in (the platform's profile could not be read): keep a name known before. */
  readonly provisional?: boolean
}

/**
 * A file as a platform describes it before its bytes are fetched: a photo, a voice note, a
 * document. `ref` is what the platform's own `fetchFile` reads (a Telegram file id, a WhatsApp
 * media id, a download URL).
 */
export interface FileRef {
  readonly kind: MessageKind
  readonly ref: string
  /** A file name to show and to save it under; adapters make one up when the platform gives none. */
  readonly name: string
  readonly mimeType?: string
  /** In bytes, when the platform says it before the download. */
  readonly size?: number
}

/**
 * A file's bytes as they are fetched: a stream, never a buffer, so a large file never sits whole
 * in memory. Fetching throws a DeskError; a link that expired or a file that is gone is
 * `not_found`, which no retry can help.
 */
export interface FileDownload {
  readonly body: AsyncIterable<Uint8Array>
  readonly size?: number
  readonly mimeType?: string
}

/** A file ready to leave: its bytes on disk (read as a stream by whoever sends them), and what it is. */
export interface FileToSend {
  readonly path: string
  readonly name: string
  readonly mimeType: string
  readonly size: number
  readonly kind: MessageKind
}

/** One file to a customer, with the words that go with it. */
export interface OutboundFile {
  readonly channel: Channel
  readonly to: string
  readonly file: FileToSend
  /** Shown with the file, when the platform has captions; empty for none. */
  readonly caption: string
  readonly lastCustomerMessageAt?: Date
}

/** One customer message, translated from any platform into the one shape the core understands. */
export interface InboundMessage {
  readonly channel: Channel
  /** The platform's id of this message; redelivery of the same id is ignored. */
  readonly externalId: string
  readonly contact: InboundContact
  readonly kind: MessageKind
  /** The text or caption; empty when there is none. */
  readonly text: string
  readonly sentAt: Date
  /** The files the message carries (a photo, a voice note…), fetched later by the adapter's `fetchFile`. */
  readonly files?: readonly FileRef[]
  /**
   * With kind `choice`: the `id` of the OutboundChoice the customer tapped, as the platform echoed it
   * back (anyone can forge one: the core checks it), and the platform's id of the menu message, where
   * the platform lets a bot edit it to show the choice.
   */
  readonly choice?: { readonly id: string; readonly menuMessage?: string }
  /** A reference the conversation was started with (Telegram's `/start PAYLOAD` deep link). */
  readonly reference?: string
}

/** One choice of a menu sent to a customer: what the platform shows, and what it echoes back when tapped. */
export interface OutboundChoice {
  readonly id: string
  readonly label: string
}

/** A pre-approved message (a WhatsApp template) with its body parameters. */
export interface TemplateMessage {
  readonly name: string
  /** Language code such as `en_US`; the adapter's default when absent. */
  readonly language?: string
  readonly params: readonly string[]
}

/** One message to a customer. */
export interface OutboundMessage {
  readonly channel: Channel
  /** The contact's external id on that channel. */
  readonly to: string
  readonly text: string
  /** Set when the message is a template rather than free text. */
  readonly template?: TemplateMessage
  /** When the customer last wrote, for platforms whose rules depend on it. */
  readonly lastCustomerMessageAt?: Date
  /** A menu under the text, shown as the platform's own buttons (only to channels with `traits.choices`). */
  readonly choices?: readonly OutboundChoice[]
  /** The platform's id of a message of ours to change into this text instead of sending a new one, where it can. */
  readonly replaces?: string
}

/** What a platform reports about a message we sent. */
export interface DeliveryStatusUpdate {
  readonly channel: Channel
  /** The platform's id of the sent message (what `send` returned). */
  readonly externalMessageId: string
  readonly status: 'sent' | 'delivered' | 'read' | 'failed'
  /** Why it failed, in the platform's words. */
  readonly reason?: string
}

/** Something the support channel should hear about a channel itself (not about one ticket). */
export interface DeskNotice {
  readonly text: string
  readonly image?: { readonly filename: string; readonly png: Buffer }
  /** Where it goes instead of the support channel: a conversation, or a person (their DM with the app). */
  readonly to?: string
  /** Files posted with the text (a report's charts and CSV). */
  readonly files?: readonly { readonly filename: string; readonly bytes: Buffer }[]
}

/** A route an adapter serves on the shared HTTP server (webhooks pushed to us). */
export interface WebhookRoute {
  readonly method: 'GET' | 'POST'
  readonly path: string
  /** It serves every path under `path` (`/api/v1` serves `/api/v1/tickets/42`), whatever the method. */
  readonly prefix?: boolean
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>
}

/** One signed event for an outgoing webhook endpoint. */
export interface SignedEvent {
  /** The event id: `webhook-id`, the same on every try. */
  readonly id: string
  /** When this try is made: `webhook-timestamp`. */
  readonly timestamp: Date
  /** The JSON body, exactly as signed. */
  readonly body: string
}

/**
 * Posts events to the endpoints admins registered, signed with each endpoint's secret. Throws a
 * DeskError: `retryable` for anything but a 2xx (a timeout, a refusal), with `retryAfterMs` when
 * the receiver asked to wait.
 */
export interface WebhookSender {
  post(endpoint: { readonly url: string; readonly secret: string }, event: SignedEvent): Promise<void>
}

/** What an adapter may tell the core. Each call resolves once what it says is stored. */
export interface ChannelHost {
  /** A customer's message. */
  receive(msg: InboundMessage): Promise<void>
  /** A platform's word about a message we sent. */
  deliveryStatus(update: DeliveryStatusUpdate): Promise<void>
  /** A line for the support channel (a QR code to scan, a lost session). */
  notify(notice: DeskNotice): Promise<void>
}

/** What a platform allows, so the core can refuse before queueing what would fail. */
export interface ChannelTraits {
  /** Free-form replies are accepted only this long after the customer's last message. */
  readonly replyWindowMs?: number
  /** Pre-approved templates can be sent (they also pass outside the reply window). */
  readonly templates?: boolean
  /** The longest text one message may carry; longer replies leave in parts, resumed after a failure. */
  readonly textLimit?: number
  /** The platform's rate limits, paced before sending: per conversation and for the whole account. */
  readonly rates?: { readonly perRecipient?: Rate; readonly perChannel?: Rate }
  /** What files the platform takes from us; without it, it takes none. */
  readonly files?: FileTraits
  /**
   * The most choices a menu may show as the platform's own buttons; without it, menus go out as
   * numbered text and the customer answers with a number.
   */
  readonly choices?: number
}

/** The families of files platforms set limits by. */
export type FileFamily = 'image' | 'video' | 'audio' | 'document'

/** What files a platform accepts from a bot. */
export interface FileTraits {
  /** The largest file of each family it accepts, in bytes. */
  readonly maxBytes: Readonly<Record<FileFamily, number>>
  /** The longest caption a file may carry; 0 when files have none (the text then leaves on its own). */
  readonly captionLimit: number
}

/**
 * A customer-facing platform. Adding a platform is a folder in adapters/ implementing this,
 * and a line in the registry: nothing in src/core changes.
 */
export interface ChannelAdapter {
  readonly channel: Channel
  readonly traits?: ChannelTraits
  /** Starts receiving; everything the platform says goes to `host`. Resolves once receiving has begun. */
  start(host: ChannelHost): Promise<void>
  /**
   * Sends one message. Throws a DeskError: `retryable` when trying later can help,
   * with `retryAfterMs` when the platform said how long to wait.
   */
  send(msg: OutboundMessage): Promise<{ externalMessageId: string }>
  /** Sends one file (with `traits.files`). Throws like `send`. */
  sendFile?(msg: OutboundFile, signal: AbortSignal): Promise<{ externalMessageId: string }>
  /** Starts the download of a file a customer sent (a `FileRef.ref`). Throws like `send`. */
  fetchFile?(ref: string, signal: AbortSignal): Promise<FileDownload>
  stop(): Promise<void>
  /** Routes for platforms that push to us. */
  routes?(): readonly WebhookRoute[]
  /**
   * Whether the platform is connected now, once started (a lost session, a second process polling
   * with the same token). Without it, a started adapter counts as connected.
   */
  status?(): { readonly ok: boolean; readonly detail?: string }
}

/** Where a ticket's thread lives on the agent side. */
export interface ThreadRef {
  readonly channel: string
  readonly ts: string
}

/** A ticket as the agent desk shows it. */
export interface TicketView {
  readonly id: TicketId
  readonly status: TicketStatus
  readonly priority: Priority
  readonly type: string | null
  readonly topic: string | null
  readonly tags: readonly string[]
  /** What the customer told at intake (the kind of request aside): field and value, in order. */
  readonly answers?: readonly (readonly [string, string])[]
  /** Agents blocked the customer: their messages are kept and open nothing. */
  readonly customerBlocked?: boolean
  readonly channel: Channel
  readonly subject: string
  readonly customer: {
    readonly name: string
    readonly username: string | null
    readonly avatarUrl: string | null
  }
  /** The desk user id of the assignee. */
  readonly assignee: string | null
  readonly followUpOf: TicketId | null
  /** What the team's customer-info service said, once it answered. */
  readonly customerInfo?: CustomerInfo
  /** The SLA clock that runs out first, when one runs. */
  readonly sla?: {
    readonly label: string
    readonly dueAt: Date | null
    readonly breached: boolean
    readonly paused: boolean
  }
  readonly createdAt: Date
  /**
   * The customer's first message, when the root message shows it: it then has no post of its own
   * in the thread.
   */
  readonly opening?: { readonly kind: MessageKind; readonly text: string }
  readonly thread: ThreadRef | null
  /** The Slack channel for the thread when a rule chose one; else the support channel. */
  readonly deskChannel: string | null
}

/** One line in a ticket's thread. */
export interface ThreadEntry {
  readonly direction: MessageDirection
  readonly kind: MessageKind
  /** What was written; for a system line, the fact it states (see src/core/ticket-facts.ts). */
  readonly text: string
  /** The desk user id of the agent who wrote it, for replies and notes. */
  readonly author: string | null
  /** The names of the files a reply sent from outside the thread carried (a form's). */
  readonly files?: readonly string[]
}

/**
 * The agents' side: where tickets are shown and worked. Slack implements it; the outbox calls it.
 * Each method throws a DeskError like ChannelAdapter.send.
 */
export interface AgentDesk {
  /** The desk's rate limits: new posts per channel, and edits and reactions for the whole workspace. */
  readonly rates?: { readonly post: Rate; readonly edit: Rate }
  /**
   * Posts a ticket's root message. With `ticket.opening` the root shows that message too when it
   * fits, and `showsOpening` says whether it does (if not, the message needs a post of its own).
   */
  openThread(ticket: TicketView): Promise<ThreadRef & { readonly showsOpening: boolean }>
  updateThread(ticket: TicketView & { readonly thread: ThreadRef }): Promise<void>
  postToThread(
    ticket: TicketView & { readonly thread: ThreadRef },
    entry: ThreadEntry,
  ): Promise<{ ts: string }>
  /**
   * Posts several entries in the thread as one message, in order, each shown as it would be alone:
   * as many from the first as one message holds, and at least the first. Returns the post's ts and
   * how many entries it shows.
   */
  postEntries(
    ticket: TicketView & { readonly thread: ThreadRef },
    entries: readonly ThreadEntry[],
  ): Promise<{ ts: string; count: number }>
  /** Marks one post of a thread (a reply's delivery state) with an emoji reaction, instead of `replaces`. */
  react(thread: ThreadRef, ts: string, reaction: string, replaces?: string): Promise<void>
  /** Uploads a file into a ticket's thread, the way the desk shows files (Slack: its own file viewer). */
  uploadFile?(thread: ThreadRef, file: FileToSend, signal: AbortSignal): Promise<void>
  /** Starts the download of a file an agent attached (the `ref` the desk gave it). Throws like `send`. */
  fetchFile?(ref: string, signal: AbortSignal): Promise<FileDownload>
  /** Posts to the support channel itself, outside any ticket. */
  postNotice(notice: DeskNotice): Promise<void>
  /**
   * Tells the support channel something the outbox found (a target failing, back, a ticket
   * rerouted), or the morning digest.
   */
  postAlert(alert: DeskAlert): Promise<void>
}

/** What the agent side knows about a person, for deciding who may act. */
export interface DeskPerson {
  /** A guest of the workspace (single- or multi-channel). */
  readonly guest: boolean
  /** Someone from another organisation (Slack Connect). */
  readonly external: boolean
  /** A deactivated account, or a bot. */
  readonly inactive: boolean
}

/** The people directory of the agent side (Slack's users and user groups). */
export interface DeskDirectory {
  /** Facts about one person; throws when the directory cannot be read. */
  person(deskUserId: string): Promise<DeskPerson>
  /** The members of a user group; throws when it cannot be read. */
  groupMembers(groupId: string): Promise<ReadonlySet<string>>
}
