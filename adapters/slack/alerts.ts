import type { DeskAlert } from '../../src/core/delivery.js'
import type { LabelOf } from '../channel-module.js'
import { digestText } from './digest-text.js'
import { escapeText } from './text.js'

/** A conversation the outbox talks to, as people say it. */
function targetName(target: string, labelOf: LabelOf): string {
  if (target.startsWith('slack:')) return 'Slack'
  if (target.startsWith('customer-info')) return 'the customer info service'
  if (target.startsWith('webhook:')) return `webhook endpoint ${escapeText(target.slice('webhook:'.length))}`
  const [channel = '', to = ''] = target.split(':')
  return `${escapeText(labelOf(channel))} (chat ${escapeText(to)})`
}

/**
 * What the outbox found, or the digest, in words for the support channel; `labelOf` names a
 * channel, `when` writes a time as the team reads it. Reasons came from outside: escaped.
 */
export function alertText(alert: DeskAlert, labelOf: LabelOf, when: (at: Date) => string): string {
  switch (alert.kind) {
    case 'deliveries_failing':
      return `:rotating_light: Deliveries to ${targetName(alert.target, labelOf)} have been failing for ${alert.minutes} min (${escapeText(alert.reason)}). They are retried until they go through; nothing is dropped.`
    case 'deliveries_recovered':
      return `:white_check_mark: Deliveries to ${targetName(alert.target, labelOf)} go through again.`
    case 'ticket_rerouted':
      return `:warning: Ticket #${alert.ticketId} could not be posted in the channel its rule chose (${escapeText(alert.reason)}), so it is here instead.`
    case 'not_shown': {
      const where = alert.ticketId === null ? '' : ` for ticket #${alert.ticketId}`
      return `:warning: Something could not be shown in Slack${where}: ${escapeText(alert.reason)}`
    }
    case 'digest':
      return digestText(alert.digest, labelOf, when)
    case 'webhook_paused':
      return `:rotating_light: Webhook endpoint ${alert.endpointId} (${escapeText(alert.host)}) has been failing for ${alert.minutes} min (${escapeText(alert.reason)}), so it is paused: its events wait, none is dropped. Admins: fix the receiver, then \`/webhook test ${alert.endpointId}\` resumes it and sends what waited, in order.`
  }
}
