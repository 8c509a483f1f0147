import type { Delivery } from '../db/schema.js'
import type { DeliveryPayload } from './delivery.js'
import type { Channel } from './model.js'
import type { Rate } from './pacer.js'
import type { AgentDesk, ChannelAdapter } from './ports.js'

/** What routing needs of a row's ticket: its customer's conversation and its Slack channels. */
export interface RouteTicket {
  readonly channel: Channel
  readonly contact_external_id: string
  readonly thread_channel: string | null
  readonly desk_channel: string | null
}

/** Who a row talks to, and the rate limits that call falls under. */
export interface Route {
  /** One conversation on one platform: a Slack channel, a Telegram chat… One call at a time each. */
  readonly target: string
  /** `slack` or the customer channel: no service may take every worker. */
  readonly service: string
  readonly limits: readonly (readonly [string, Rate])[]
  /** When paced, not sent before this moment (ms since the epoch). */
  readonly notBefore?: number
}

/**
 * Where a delivery goes: its target (what a slow or refusing platform holds back), its service
 * (what may not take every worker) and the platform's rate limits it falls under.
 */
export function createRouter(deps: {
  readonly desk: Pick<AgentDesk, 'rates'>
  readonly deskHome: string
  readonly channels: ReadonlyMap<Channel, Pick<ChannelAdapter, 'traits'>>
}) {
  const { desk, channels } = deps
  return function routeOf(row: Delivery, payload: DeliveryPayload, ticket: RouteTicket | undefined): Route {
    if (row.lane.startsWith('webhook:')) return { target: row.lane, service: 'webhook', limits: [] }
    if (row.lane === 'info')
      return { target: `customer-info:${row.ticket_id}`, service: 'customer-info', limits: [] }
    if (row.lane === 'desk') {
      // A notice for someone else goes to their conversation: its limits and failures are its own.
      const channel =
        payload.type === 'desk.notice'
          ? (payload.to ?? deps.deskHome)
          : payload.type === 'desk.alert' || ticket === undefined
            ? deps.deskHome
            : (ticket.thread_channel ?? ticket.desk_channel ?? deps.deskHome)
      const target = `slack:${channel}`
      const rates = desk.rates
      const edits = payload.type === 'desk.update' || payload.type === 'desk.react'
      const limits: (readonly [string, Rate])[] =
        rates === undefined ? [] : edits ? [['slack:edits', rates.edit]] : [[target, rates.post]]
      // A thread entry leaves one turn after it was queued at the soonest: whatever the customer
      // writes meanwhile joins its post, rather than the first message taking a post of its own.
      const entry = payload.type === 'desk.entry' && rates !== undefined
      return {
        target,
        service: 'slack',
        limits,
        ...(entry && { notBefore: Date.parse(row.created_at) + 1000 / rates.post.perSecond }),
      }
    }
    const channel = payload.type === 'customer.direct' ? payload.channel : (ticket?.channel ?? 'unknown')
    const to = payload.type === 'customer.direct' ? payload.to : (ticket?.contact_external_id ?? '')
    const target = `${channel}:${to}`
    const rates = channels.get(channel)?.traits?.rates
    const limits: (readonly [string, Rate])[] = []
    if (rates?.perRecipient !== undefined) limits.push([target, rates.perRecipient])
    if (rates?.perChannel !== undefined) limits.push([channel, rates.perChannel])
    return { target, service: channel, limits }
  }
}
