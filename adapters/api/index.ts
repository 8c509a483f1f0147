import type { Clock } from '../../src/core/clock.js'
import type { ChannelAdapter } from '../../src/core/ports.js'

/**
 * The `api` channel's adapter. Nothing is pushed to a site: a reply is handed over here at once,
 * and the core turns it into a `message.created` event for the site's webhook endpoints (delivered,
 * retried and ordered by the outbox), and shows it in GET /tickets/{id}.
 */
export function createApiAdapter(clock: Clock): ChannelAdapter {
  let sent = 0
  return {
    channel: 'api',
    start: () => Promise.resolve(),
    send: () => Promise.resolve({ externalMessageId: `api-${clock.now().getTime()}-${++sent}` }),
    stop: () => Promise.resolve(),
  }
}
