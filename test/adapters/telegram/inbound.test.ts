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
    const file = { file_id: 'F1' }
    expect(kind({ photo: [file], caption: 'box' })).toEqual(['photo', 'box'])
    expect(kind({ animation: file, document: { ...file, file_name: 'a.gif' } })).toEqual(['animation', ''])
    expect(kind({ document: { ...file, file_name: 'invoice.pdf' } })).toEqual(['document', 'invoice.pdf'])
    expect(kind({ voice: file })).toEqual(['voice', ''])
    expect(kind({ sticker: { ...file, emoji: '😀' } })).toEqual(['sticker', '😀'])
    expect(kind({ location: { latitude: 52.5, longitude: 13.4 } })).toEqual(['location', '52.5, 13.4'])
    expect(kind({ contact: { phone_number: '+49 1', first_name: 'Bob' } })).toEqual(['contact', 'Bob +49 1'])
    expect(kind({ text: '/start' })).toEqual(['start', '/start'])
    // One token after /start is a deep link's payload, kept as a reference; more words are what the
    // customer wrote.
    expect(kind({ text: '/start@acme_bot ORDER-5531' })).toEqual(['start', '/start@acme_bot ORDER-5531'])
    expect(toInbound({ ...base, text: '/start ORDER-5531' })?.reference).toBe('ORDER-5531')
    expect(kind({ text: '/start hello there' })).toEqual(['text', 'hello there'])
    expect(toInbound({ ...base, text: '/start hello there' })?.reference).toBeUndefined()
    expect(kind({ text: '/starting' })).toEqual(['text', '/starting'])
    expect(kind({})).toEqual(['other', ''])
  })

  it('names the file a message carries: the largest photo, a voice note as ogg, a document by its name', () => {
    const files = (m: Partial<TelegramMessage>) => toInbound({ ...base, ...m })?.files
    expect(
      files({
        photo: [
          { file_id: 'small', file_size: 900 },
          { file_id: 'large', file_size: 90_000 },
        ],
      }),
    ).toEqual([{ kind: 'photo', ref: 'large', name: 'photo-9.jpg', mimeType: 'image/jpeg', size: 90_000 }])
    expect(files({ voice: { file_id: 'v', mime_type: 'audio/ogg', file_size: 5000 } })).toEqual([
      { kind: 'voice', ref: 'v', name: 'voice-9.ogg', mimeType: 'audio/ogg', size: 5000 },
    ])
    expect(
      files({ document: { file_id: 'd', file_name: 'invoice.pdf', mime_type: 'application/pdf' } }),
    ).toEqual([{ kind: 'document', ref: 'd', name: 'invoice.pdf', mimeType: 'application/pdf' }])
    // An animated sticker is a Lottie file no one can open: its still picture goes instead.
    expect(files({ sticker: { file_id: 's', is_animated: true, thumbnail: { file_id: 'thumb' } } })).toEqual([
      { kind: 'sticker', ref: 'thumb', name: 'sticker-9.webp', mimeType: 'image/webp' },
    ])
    expect(files({ text: 'hi' })).toBeUndefined()
  })

  it('ignores groups and channels', () => {
    expect(toInbound({ ...base, chat: { id: -100, type: 'group' }, text: 'hi' })).toBeUndefined()
    expect(
      toInbound({ ...base, chat: { id: -100, type: 'channel' }, from: undefined as never, text: 'hi' }),
    ).toBeUndefined()
  })
})
