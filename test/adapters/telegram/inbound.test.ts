import { describe, expect, it } from 'vitest'
import { toInbound, type TelegramMessage } from '../../../adapters/telegram/inbound.js'

const base: TelegramMessage = {
  message_id: 9,
  date: 1763888400,
  chat: { id: 7001, type: 'private' },
  from: { id: 7001, first_name: 'Ada', last_name: 'Lovelace', username: 'ada', language_code: 'en' },
}

describe('Telegram messages as inbound messages', () => {
  it('maps a private text message with the customer identity', () => {
    expect(toInbound({ ...base, text: 'Hello' })).toEqual({
      channel: 'telegram',
      externalId: '7001:9',
      contact: { externalId: '7001', displayName: 'Ada Lovelace', username: 'ada', language: 'en' },
      kind: 'text',
      text: 'Hello',
      sentAt: new Date(1763888400 * 1000),
    })
  })

  it('names what a non-text message is, keeping its caption', () => {
    const kind = (m: Partial<TelegramMessage>) => {
      const r = toInbound({ ...base, ...m })
      return [r?.kind, r?.text]
    }
    expect(kind({ photo: [{}], caption: 'box' })).toEqual(['photo', 'box'])
    expect(kind({ animation: {}, document: { file_name: 'a.gif' } })).toEqual(['animation', ''])
    expect(kind({ document: { file_name: 'invoice.pdf' } })).toEqual(['document', 'invoice.pdf'])
    expect(kind({ voice: {} })).toEqual(['voice', ''])
    expect(kind({ sticker: { emoji: '😀' } })).toEqual(['sticker', '😀'])
    expect(kind({ location: { latitude: 52.5, longitude: 13.4 } })).toEqual(['location', '52.5, 13.4'])
    expect(kind({ contact: { phone_number: '+49 1', first_name: 'Bob' } })).toEqual(['contact', 'Bob +49 1'])
    expect(kind({ text: '/start' })).toEqual(['start', '/start'])
    // Words after /start are what the customer wrote (or a deep link's payload): they are kept.
    expect(kind({ text: '/start@acme_bot ref' })).toEqual(['text', 'ref'])
    expect(kind({ text: '/start hello' })).toEqual(['text', 'hello'])
    expect(kind({ text: '/starting' })).toEqual(['text', '/starting'])
    expect(kind({})).toEqual(['other', ''])
  })

  it('ignores groups and channels', () => {
    expect(toInbound({ ...base, chat: { id: -100, type: 'group' }, text: 'hi' })).toBeUndefined()
    expect(
      toInbound({ ...base, chat: { id: -100, type: 'channel' }, from: undefined as never, text: 'hi' }),
    ).toBeUndefined()
  })
})
