import { EventEmitter } from 'node:events'
import { createWhatsAppWebAdapter } from '../../adapters/whatsapp-web/index.js'
import { manualClock } from '../helpers/clock.js'
import { testLog } from '../helpers/log.js'
import { watchHost } from '../helpers/watched-host.js'
import type { WebChat, WebClient } from '../../adapters/whatsapp-web/client.js'
import type { WebMessage } from '../../adapters/whatsapp-web/inbound.js'
import type { WebMedia } from '../../adapters/whatsapp-web/files.js'

let seq = 0

/** A whatsapp-web.js message as the client emits it. */
export function webMessage(overrides: Partial<WebMessage> = {}): WebMessage {
  return {
    id: { _serialized: `false_4915112345678@c.us_3EB0${++seq}` },
    from: '4915112345678@c.us',
    fromMe: false,
    isStatus: false,
    broadcast: false,
    type: 'chat',
    body: 'Hello from WhatsApp',
    timestamp: 1763888400,
    _data: { notifyName: 'Katherine' },
    ...overrides,
  }
}

/** Stands in for whatsapp-web.js's Client at its event boundary: tests emit, the adapter listens and sends. */
export class FakeWebClient extends EventEmitter implements WebClient {
  initialized = 0
  destroyed = 0
  readonly sent: { chatId: string; content: string }[] = []
  /** Media the bot sent, with the options it was sent with. */
  readonly sentMedia: {
    chatId: string
    media: WebMedia
    options: { caption?: string; sendAudioAsVoice?: boolean; sendMediaAsDocument?: boolean } | undefined
  }[] = []
  /** Messages the phone still has, by id: what getMessageById finds. */
  readonly stored = new Map<string, WebMessage>()
  failSend: Error | undefined
  failInitialize: Error | undefined
  /** Called when the adapter initializes this client, by which time its listeners are on. */
  onInitialize: (() => void) | undefined
  info = { wid: { user: '4930123456' } }
  /** Direct chats and their unread messages, as the phone holds them. */
  unread: WebMessage[] = []

  initialize(): Promise<void> {
    this.initialized += 1
    this.onInitialize?.()
    return this.failInitialize === undefined ? Promise.resolve() : Promise.reject(this.failInitialize)
  }
  destroy(): Promise<void> {
    this.destroyed += 1
    return Promise.resolve()
  }
  getChats(): Promise<WebChat[]> {
    const chats = new Map<string, WebMessage[]>()
    for (const m of this.unread) chats.set(m.from, [...(chats.get(m.from) ?? []), m])
    return Promise.resolve(
      [...chats.values()].map((messages) => ({
        isGroup: false,
        unreadCount: messages.length,
        fetchMessages: ({ limit }: { limit: number }) => Promise.resolve(messages.slice(-limit)),
      })),
    )
  }
  sendMessage(
    chatId: string,
    content: string | WebMedia,
    options?: { caption?: string; sendAudioAsVoice?: boolean; sendMediaAsDocument?: boolean },
  ) {
    if (this.failSend !== undefined) return Promise.reject(this.failSend)
    if (typeof content !== 'string') {
      this.sentMedia.push({ chatId, media: content, options })
      return Promise.resolve({ id: { _serialized: `true_${chatId}_MEDIA${this.sentMedia.length}` } })
    }
    this.sent.push({ chatId, content })
    return Promise.resolve({ id: { _serialized: `true_${chatId}_OUT${this.sent.length}` } })
  }
  getMessageById(id: string): Promise<WebMessage | undefined> {
    return Promise.resolve(this.stored.get(id))
  }
}

/**
 * The whatsapp-web.js adapter on a fake client, watched: no pauses between sends, a clock that
 * stands still, no QR code printed.
 */
export function watchedWebAdapter(client: FakeWebClient) {
  return watchHost(
    createWhatsAppWebAdapter({
      createClient: () => Promise.resolve(client),
      chatGapMs: 0,
      globalGapMs: 0,
      clock: manualClock(),
      printQr: () => undefined,
      log: testLog(),
    }),
  )
}
