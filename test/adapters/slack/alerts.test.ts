import { describe, expect, it } from 'vitest'
import { alertText } from '../../../adapters/slack/alerts.js'
import { catalog } from '../../helpers/channels.js'

const when = (at: Date) => at.toISOString()

describe("the outbox's alerts, in words", () => {
  it('names the target as people say it, and shows a reason from outside as plain text', () => {
    expect(
      alertText(
        {
          kind: 'deliveries_failing',
          target: 'telegram:7001',
          minutes: 15,
          reason: 'Telegram said <!channel>',
        },
        catalog.labelOf,
        when,
      ),
    ).toBe(
      ':rotating_light: Deliveries to Telegram (chat 7001) have been failing for 15 min (Telegram said &lt;!channel&gt;). They are retried until they go through; nothing is dropped.',
    )
    expect(alertText({ kind: 'deliveries_recovered', target: 'slack:C1' }, catalog.labelOf, when)).toBe(
      ':white_check_mark: Deliveries to Slack go through again.',
    )
    expect(
      alertText({ kind: 'ticket_rerouted', ticketId: 4, reason: 'not_in_channel' }, catalog.labelOf, when),
    ).toContain('Ticket #4 could not be posted in the channel its rule chose (not_in_channel)')
    expect(alertText({ kind: 'not_shown', ticketId: null, reason: 'x' }, catalog.labelOf, when)).toBe(
      ':warning: Something could not be shown in Slack: x',
    )
  })
})
