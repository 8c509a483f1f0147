import type { Clock } from '../../src/core/clock.js'
import { DeskError, describeError } from '../../src/core/errors.js'
import type { Logger } from '../../src/core/logger.js'
import type { ChannelAdapter, ChannelHost, DeliveryStatusUpdate } from '../../src/core/ports.js'
import type { WebClient } from './client.js'
import { keepStoring } from '../shared/keep-storing.js'
import { toInbound } from './inbound.js'
import { fetchWebFile, toWebMedia, WHATSAPP_WEB_FILE_TRAITS } from './files.js'
import { growingDelay } from '../../src/core/backoff.js'

export interface WhatsAppWebOptions {
  readonly createClient: () => Promise<WebClient>
  /** Least time between two messages to the same chat. */
  readonly chatGapMs: number
  /** Least time between any two messages. */
  readonly globalGapMs: number
  readonly reconnect?: { readonly baseMs: number; readonly maxMs: number }
  readonly clock: Clock
  /** Waits; injected so tests never sleep. */
  readonly sleep?: (ms: number) => Promise<void>
  /** Shows a pairing QR code to whoever runs the process. */
  readonly printQr?: (terminalQr: string) => void
  readonly log: Logger
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Only pairing a phone draws a QR code: a saved session never loads qrcode. */
const qrCode = () => import('qrcode').then((m) => m.default)

/** whatsapp-web.js message_ack levels: 1 reached the server, 2 the phone, 3 read, 4 played; -1 failed. */
function ackStatus(ack: number): DeliveryStatusUpdate['status'] | undefined {
  if (ack === -1) return 'failed'
  if (ack === 1) return 'sent'
  if (ack === 2) return 'delivered'
  if (ack >= 3) return 'read'
  return undefined
}

/**
 * WhatsApp through whatsapp-web.js: an unofficial client that drives WhatsApp Web in Chromium.
 * Pairing is by QR code (terminal and support channel); sends are paced, because unofficial
 * clients that burst get numbers banned; a lost session reconnects with backoff and says so.
 */
export function createWhatsAppWebAdapter(opts: WhatsAppWebOptions): ChannelAdapter {
  const log = opts.log.child({ channel: 'whatsapp' })
  const sleep = opts.sleep ?? realSleep
  const reconnect = opts.reconnect ?? { baseMs: 5_000, maxMs: 5 * 60_000 }
  let client: WebClient | undefined
  let ready = false
  let stopped = false
  let failures = 0
  /** Whether the support channel was told of a problem, so it should hear of the recovery. */
  let announcedTrouble = false
  /** Whether the current streak of start failures was announced; its retries are only logged. */
  let announcedStartFailure = false
  let lastSend = Number.NEGATIVE_INFINITY
  const lastSendTo = new Map<string, number>()

  async function announce(host: ChannelHost, text: string, qr?: string): Promise<void> {
    const image =
      qr === undefined
        ? undefined
        : { filename: 'whatsapp-pairing-qr.png', png: await (await qrCode()).toBuffer(qr, { width: 320 }) }
    await host
      .notify({ text, ...(image && { image }) })
      .catch((error: unknown) =>
        log.error({ err: error }, 'could not queue a notice for the support channel'),
      )
  }

  /**
   * Reads what arrived while the bot was away (stopped, killed or disconnected): the unread messages
   * of each direct chat. Those already stored are recognised by their id and change nothing.
   */
  async function catchUp(c: WebClient, host: ChannelHost): Promise<void> {
    if (c.getChats === undefined) return
    try {
      const chats = await c.getChats()
      for (const chat of chats) {
        if (chat.isGroup || chat.unreadCount <= 0) continue
        for (const message of await chat.fetchMessages({ limit: chat.unreadCount })) {
          const inbound = toInbound(message)
          if (inbound !== undefined) keepStoring(() => host.receive(inbound), log, 'whatsapp web message')
        }
      }
    } catch (error) {
      log.warn({ err: error }, 'whatsapp web could not read unread messages')
    }
  }

  async function connect(host: ChannelHost): Promise<void> {
    const c = await opts.createClient()
    client = c
    c.on('qr', (qr) => {
      announcedTrouble = true
      log.warn('whatsapp web needs pairing: scan the QR code')
      qrCode()
        .then((QRCode) => QRCode.toString(qr, { type: 'terminal', small: true }))
        .then(
          (art) => (opts.printQr ?? ((s: string) => process.stdout.write(`${s}\n`)))(art),
          () => undefined,
        )
      void announce(
        host,
        ':iphone: *WhatsApp Web needs pairing.* On the phone: WhatsApp → Linked devices → Link a device, and scan this code. It expires in about 20 seconds; a fresh one follows.',
        qr,
      )
    })
    c.on('ready', () => {
      ready = true
      failures = 0
      announcedStartFailure = false
      const number = c.info?.wid?.user
      log.info({ number }, 'whatsapp web ready')
      void catchUp(c, host)
      if (announcedTrouble) {
        announcedTrouble = false
        void announce(
          host,
          `:white_check_mark: WhatsApp Web is connected${number === undefined ? '' : ` as +${number}`}.`,
        )
      }
    })
    c.on('auth_failure', (reason) => {
      ready = false
      announcedTrouble = true
      log.error({ reason }, 'whatsapp web session refused')
      void announce(
        host,
        `:warning: WhatsApp Web refused the saved session (${reason}). A new QR code follows to pair again.`,
      )
      scheduleReconnect(host)
    })
    c.on('disconnected', (reason) => {
      ready = false
      announcedTrouble = true
      log.warn({ reason }, 'whatsapp web disconnected')
      const what =
        reason === 'LOGOUT'
          ? 'was logged out from the phone. Scan the new QR code to pair again'
          : `disconnected (${reason}); reconnecting`
      void announce(host, `:warning: WhatsApp Web ${what}. Replies wait in the outbox until it is back.`)
      scheduleReconnect(host)
    })
    c.on('message', (message) => {
      const inbound = toInbound(message)
      if (inbound === undefined) return
      // WhatsApp Web will not push it again: keep it until it is stored.
      keepStoring(() => host.receive(inbound), log, 'whatsapp web message')
    })
    c.on('message_ack', (message, ack) => {
      const status = ackStatus(ack)
      if (!message.fromMe || status === undefined) return
      host
        .deliveryStatus({ channel: 'whatsapp', externalMessageId: message.id._serialized, status })
        .catch((error: unknown) => log.error({ err: error }, 'whatsapp web ack not stored'))
    })
    c.initialize().catch((error: unknown) => {
      log.error({ err: error }, 'whatsapp web did not start')
      if (!announcedStartFailure) {
        announcedStartFailure = true
        announcedTrouble = true
        void announce(
          host,
          `:warning: WhatsApp Web could not start: ${describeError(error)}. Retrying with growing delays.`,
        )
      }
      scheduleReconnect(host)
    })
  }

  let reconnecting = false
  function scheduleReconnect(host: ChannelHost): void {
    if (stopped || reconnecting) return
    reconnecting = true
    failures += 1
    const delay = growingDelay(failures, reconnect.baseMs, reconnect.maxMs)
    log.info({ delayMs: delay, attempt: failures }, 'whatsapp web reconnecting')
    const old = client
    void (async () => {
      await sleep(delay)
      await old?.destroy().catch(() => undefined)
      reconnecting = false
      if (!stopped) await connect(host)
    })().catch((error: unknown) => {
      reconnecting = false
      log.error({ err: error }, 'whatsapp web reconnect failed')
      scheduleReconnect(host)
    })
  }

  /** Reserves the next free slot for a message to `chat` and waits for it. */
  async function pace(chat: string): Promise<void> {
    const now = opts.clock.now().getTime()
    const at = Math.max(
      now,
      lastSend + opts.globalGapMs,
      (lastSendTo.get(chat) ?? Number.NEGATIVE_INFINITY) + opts.chatGapMs,
    )
    lastSend = at
    lastSendTo.set(chat, at)
    if (at > now) await sleep(at - now)
  }

  return {
    channel: 'whatsapp',
    traits: { files: WHATSAPP_WEB_FILE_TRAITS },

    async start(host) {
      await connect(host)
      log.info('whatsapp web starting')
    },

    async send(msg) {
      if (!ready || client === undefined) {
        throw new DeskError('unavailable', 'WhatsApp Web is not connected; the message waits until it is')
      }
      await pace(msg.to)
      try {
        const sent = await client.sendMessage(msg.to, msg.text)
        return { externalMessageId: sent.id._serialized }
      } catch (cause) {
        throw new DeskError('unavailable', `WhatsApp Web could not send: ${describeError(cause)}`, { cause })
      }
    },

    async sendFile(msg) {
      if (!ready || client === undefined) {
        throw new DeskError('unavailable', 'WhatsApp Web is not connected; the file waits until it is')
      }
      const { media, voice, asDocument } = await toWebMedia(msg.file)
      await pace(msg.to)
      try {
        // A voice note shows no caption: the words go just before it, on their own.
        if (voice && msg.caption !== '') await client.sendMessage(msg.to, msg.caption)
        const sent = await client.sendMessage(msg.to, media, {
          ...(msg.caption !== '' && !voice && { caption: msg.caption }),
          ...(voice && { sendAudioAsVoice: true }),
          ...(asDocument && { sendMediaAsDocument: true }),
        })
        return { externalMessageId: sent.id._serialized }
      } catch (cause) {
        throw new DeskError('unavailable', `WhatsApp Web could not send the file: ${describeError(cause)}`, {
          cause,
        })
      }
    },

    async fetchFile(ref) {
      const c = client
      if (!ready || c?.getMessageById === undefined)
        throw new DeskError('unavailable', 'WhatsApp Web is not connected; the file is fetched once it is')
      return fetchWebFile((id) => c.getMessageById!(id), ref)
    },

    async stop() {
      stopped = true
      ready = false
      await client?.destroy().catch(() => undefined)
    },
  }
}
