import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapedPieces, threadEntries } from '../../../adapters/slack/blocks.js'
import { escapeText, fromSlackText } from '../../../adapters/slack/text.js'
import { asTicketId } from '../../../src/core/model.js'
import type { ThreadEntry, TicketView } from '../../../src/core/ports.js'
import { catalog } from '../../helpers/channels.js'

describe('outside text cut for Slack sections', () => {
  it('cuts into pieces that fit once escaped, never inside an escape, and loses nothing', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc
        .array(fc.constantFrom('&', '<', '>', 'a', ' ', '\n', '👨‍👩‍👧'), { maxLength: 400 })
        .map((parts) => parts.join('')),
    )
    fc.assert(
      fc.property(text, fc.integer({ min: 10, max: 120 }), (raw, max) => {
        const pieces = escapedPieces(raw, max)
        expect(pieces.join('')).toBe(escapeText(raw))
        for (const piece of pieces) {
          expect(piece.length).toBeLessThanOrEqual(max)
          // A piece is escaped text on its own: reading it back gives outside text with no half escape.
          expect(escapeText(fromSlackText(piece))).toBe(piece)
        }
      }),
    )
  })
})

describe('several thread entries as one post', () => {
  const view = {
    id: asTicketId(7),
    channel: 'telegram',
    customer: { name: 'Ada <Lovelace>', username: null, avatarUrl: 'https://cdn.example/ada.png' },
  } as TicketView
  const when = (at: Date) => at.toISOString()
  const said = (text: string): ThreadEntry => ({ direction: 'inbound', kind: 'text', text, author: null })
  const sections = (post: { blocks?: unknown[] }) =>
    (post.blocks ?? []).map((b) => (b as { text: { text: string } }).text.text)

  it("shows only a customer's messages under their name, one section each, in order", () => {
    const { post, count } = threadEntries(view, [said('one'), said('two & <three>')], catalog.labelOf, when)
    expect(count).toBe(2)
    expect(post).toMatchObject({
      username: 'Ada <Lovelace> (Telegram)',
      icon_url: 'https://cdn.example/ada.png',
    })
    expect(sections(post)).toEqual(['one', 'two &amp; &lt;three&gt;'])
    expect(post.text).toBe('one\n\ntwo &amp; &lt;three&gt;')
  })

  it('starts each entry with who wrote it when others are among them', () => {
    const reply: ThreadEntry = { direction: 'outbound', kind: 'text', text: 'on it', author: 'UAGENT' }
    const photo: ThreadEntry = { direction: 'inbound', kind: 'photo', text: 'the box', author: null }
    const { post, count } = threadEntries(view, [reply, photo], catalog.labelOf, when)
    expect(count).toBe(2)
    expect(post.username).toBeUndefined()
    expect(sections(post)).toEqual([
      ':outbox_tray: *Reply by <@UAGENT>, sent to the customer:*\non it',
      ':bust_in_silhouette: *Ada &lt;Lovelace&gt; (Telegram):*\n_[photo]_ the box',
    ])
  })

  it('holds no more than 50 blocks, 3,000 characters a section, and what Slack takes in all', () => {
    const many = threadEntries(
      view,
      Array.from({ length: 70 }, (_, i) => said(`m${i}`)),
      catalog.labelOf,
      when,
    )
    expect(many.count).toBe(50)
    expect(many.post.blocks).toHaveLength(50)

    const long = Array.from({ length: 8 }, (_, i) => said(`${i} ${'word '.repeat(900)}`))
    const { post, count } = threadEntries(view, long, catalog.labelOf, when)
    expect(count).toBe(2)
    for (const text of sections(post)) expect(text.length).toBeLessThanOrEqual(3_000)
    expect(sections(post).join('').length).toBeLessThanOrEqual(10_000)
    // Cut into sections, nothing is lost.
    expect(post.text).toBe(
      long
        .slice(0, 2)
        .map((e) => e.text)
        .join('\n\n'),
    )
  })

  it('posts the first entry alone, as usual, when no second one fits beside it', () => {
    const huge = said('x'.repeat(12_000))
    const { post, count } = threadEntries(view, [huge, said('next')], catalog.labelOf, when)
    expect(count).toBe(1)
    expect(post).toEqual({
      text: huge.text,
      username: 'Ada <Lovelace> (Telegram)',
      icon_url: 'https://cdn.example/ada.png',
    })
  })
})
