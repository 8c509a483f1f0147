import type { MessageKind } from '../../src/core/model.js'
import type { InboundMessage } from '../../src/core/ports.js'
import { filesOf, type WebMediaMessage } from './files.js'

/** The slice of a whatsapp-web.js `Message` we read. */
export interface WebMessage extends WebMediaMessage {
  readonly id: { readonly _serialized: string }
  readonly from: string
  readonly fromMe: boolean
  readonly isStatus: boolean
  readonly broadcast?: boolean
  readonly type: string
  readonly body: string
  readonly timestamp: number
  readonly location?: { readonly latitude: number | string; readonly longitude: number | string }
  readonly vCards?: readonly string[]
  /** The sender's profile name, as WhatsApp Web stores it. */
  readonly _data?: { readonly notifyName?: string }
}

const KINDS: Record<string, MessageKind> = {
  chat: 'text',
  image: 'photo',
  video: 'video',
  ptt: 'voice',
  audio: 'audio',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  vcard: 'contact',
  multi_vcard: 'contact',
  list_response: 'choice',
  buttons_response: 'choice',
}

/** Direct chats are `…@c.us` (or the newer `…@lid`); groups `…@g.us`; stories `status@broadcast`. */
const isDirectChat = (id: string): boolean => id.endsWith('@c.us') || id.endsWith('@lid')

function text(m: WebMessage, kind: MessageKind): string {
  if (kind === 'location' && m.location !== undefined)
    return `${m.location.latitude}, ${m.location.longitude}`
  if (kind === 'contact') {
    return (m.vCards ?? []).map((card) => /^FN:(.*)$/m.exec(card)?.[1]?.trim() ?? 'contact').join('; ')
  }
  return m.body
}

/** A customer's direct message as an InboundMessage; undefined for groups, stories, our own messages and deletions. */
export function toInbound(m: WebMessage): InboundMessage | undefined {
  if (m.fromMe || m.isStatus || m.broadcast === true || !isDirectChat(m.from) || m.type === 'revoked')
    return undefined
  const kind = KINDS[m.type] ?? 'other'
  const number = m.from.split('@')[0] ?? m.from
  const files = filesOf(m)
  return {
    channel: 'whatsapp',
    externalId: m.id._serialized,
    contact: { externalId: m.from, displayName: m._data?.notifyName ?? `+${number}` },
    kind,
    text: text(m, kind),
    sentAt: new Date(m.timestamp * 1000),
    ...(files.length > 0 && { files }),
  }
}
