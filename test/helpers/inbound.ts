import type { InboundMessage } from '../../src/core/ports.js'

let seq = 0

/** A customer message as an adapter hands it to the core. */
export function inbound(text: string, overrides: Partial<InboundMessage> = {}): InboundMessage {
  return {
    channel: 'telegram',
    externalId: `m${++seq}`,
    contact: { externalId: '7001', displayName: 'Ada Lovelace', username: 'ada' },
    kind: 'text',
    text,
    sentAt: new Date('2026-11-23T09:00:00Z'),
    ...overrides,
  }
}
