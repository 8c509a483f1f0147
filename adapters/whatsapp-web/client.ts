import type { WebMessage } from './inbound.js'
import type { WebMedia } from './files.js'

/** The slice of a whatsapp-web.js `Client` the adapter uses: its events in, `sendMessage` out. */
export interface WebClient {
  on(event: 'qr', listener: (qr: string) => void): unknown
  on(event: 'ready' | 'authenticated', listener: () => void): unknown
  on(event: 'auth_failure' | 'disconnected', listener: (reason: string) => void): unknown
  on(event: 'message', listener: (message: WebMessage) => void): unknown
  on(event: 'message_ack', listener: (message: WebMessage, ack: number) => void): unknown
  initialize(): Promise<void>
  destroy(): Promise<void>
  sendMessage(
    chatId: string,
    content: string | WebMedia,
    options?: { caption?: string; sendAudioAsVoice?: boolean; sendMediaAsDocument?: boolean },
  ): Promise<{ readonly id: { readonly _serialized: string } }>
  /** A message by its id, to fetch its media again. */
  getMessageById?(id: string): Promise<WebMessage | undefined>
  readonly info?: { readonly wid?: { readonly user?: string } } | undefined
  /** The chats, to read what arrived while the bot was away. */
  getChats?(): Promise<readonly WebChat[]>
}

/** The slice of a whatsapp-web.js `Chat` read when catching up. */
export interface WebChat {
  readonly isGroup: boolean
  readonly unreadCount: number
  fetchMessages(search: { limit: number }): Promise<readonly WebMessage[]>
}

/**
 * A real whatsapp-web.js client: LocalAuth keeps the paired session in `sessionDir` (it sets
 * puppeteer's userDataDir itself), headless Chromium from `chromiumPath`. Imported on demand, so
 * puppeteer is never loaded when the channel is off.
 */
export async function createWhatsAppWebClient(opts: {
  sessionDir: string
  chromiumPath: string
}): Promise<WebClient> {
  const { default: wweb } = await import('whatsapp-web.js')
  const client = new wweb.Client({
    authStrategy: new wweb.LocalAuth({ dataPath: opts.sessionDir }),
    // A handful of QR codes per attempt; then the adapter reconnects with backoff.
    qrMaxRetries: 5,
    puppeteer: {
      executablePath: opts.chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  })
  // Media leaves as whatsapp-web.js's own MessageMedia, which it recognises by its class.
  const send = client.sendMessage.bind(client)
  const sendMessage: WebClient['sendMessage'] = (chatId, content, options) =>
    send(
      chatId,
      typeof content === 'string'
        ? content
        : new wweb.MessageMedia(content.mimetype, content.data, content.filename, content.filesize),
      options,
    )
  return Object.assign(client, { sendMessage })
}
