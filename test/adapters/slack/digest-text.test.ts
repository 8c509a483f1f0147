import { describe, expect, it } from 'vitest'
import { digestText } from '../../../adapters/slack/digest-text.js'
import type { Digest } from '../../../src/core/delivery.js'
import { catalog } from '../../helpers/channels.js'

const when = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`

const digest: Digest = {
  day: '2026-11-24',
  open: [
    { status: 'new', count: 2 },
    { status: 'open', count: 1 },
    { status: 'pending', count: 0 },
    { status: 'on_hold', count: 0 },
  ],
  yesterday: { created: 4, solved: 2, reopened: 1, firstResponseMedianMs: 75 * 60_000, breached: 3 },
  waiting: [
    { ticketId: 5, channel: 'whatsapp_cloud', customer: 'Ada <!here>', since: '2026-11-23T09:00:00.000Z' },
    { ticketId: 8, channel: 'discord', customer: 'Bob', since: '2026-11-23T11:30:00.000Z' },
  ],
}

describe('the morning digest, in words', () => {
  it("gives the day, the open tickets by status, yesterday's figures, and who waits longest", () => {
    expect(digestText(digest, catalog.labelOf, when).split('\n')).toEqual([
      ':sunrise: *Support digest for Tuesday 24 November*',
      'Open tickets: New 2 · Open 1 · Pending 0 · On hold 0',
      'Yesterday: 4 created · 2 solved · 1 reopened · first response median 1 h 15 min · 3 SLA targets breached (`/report yesterday` for more)',
      '*Waiting longest for an answer*',
      '• #5 · WhatsApp · Ada &lt;!here&gt; — waiting since 2026-11-23 09:00 UTC',
      '• #8 · Discord · Bob — waiting since 2026-11-23 11:30 UTC',
    ])
  })

  it('says so when nobody is waiting', () => {
    expect(digestText({ ...digest, waiting: [] }, catalog.labelOf, when)).toMatch(
      /\*Waiting longest for an answer\*\nNobody is waiting for an answer\.$/,
    )
  })
})
