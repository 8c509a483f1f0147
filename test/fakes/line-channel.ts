import { z } from 'zod'
import { defineChannel } from '../../adapters/channel-module.js'
import { optional, settingsPart } from '../../src/config/part.js'
import type { ChannelAdapter, ChannelHost, OutboundMessage } from '../../src/core/ports.js'
import { parseJson, readRawBody, sendJson } from '../../src/http/body.js'

export const LINE_WEBHOOK_PATH = '/webhooks/line'

interface LineEvent {
  readonly id: string
  readonly userId: string
  readonly name: string
  readonly text: string
  readonly timestamp: number
}

/**
 * A channel that exists only in the tests, as a new platform would be added: this file, and a line
 * in the registry (here: the list a test hands to loadConfig). Nothing in src/core or src/config
 * knows it. Customers post `{ events: [...] }` to its webhook with the channel token; agents'
 * replies land in `sent`.
 */
export function lineChannel() {
  const sent: OutboundMessage[] = []
  const env = settingsPart({
    env: {
      LINE_CHANNEL_TOKEN: optional(z.string().min(4, 'is too short to be a channel token')),
    },
    read: (e) => (e.LINE_CHANNEL_TOKEN === undefined ? undefined : { token: e.LINE_CHANNEL_TOKEN }),
  })
  const module = defineChannel({
    id: 'line',
    label: 'LINE',
    flavour: 'plain',
    ...env,
    create: (settings, ctx): ChannelAdapter => {
      let host: ChannelHost | undefined
      return {
        channel: 'line',
        traits: { textLimit: 40 },
        start(to) {
          host = to
          return Promise.resolve()
        },
        send(msg) {
          sent.push(msg)
          return Promise.resolve({ externalMessageId: `line-${sent.length}` })
        },
        stop() {
          host = undefined
          return Promise.resolve()
        },
        routes: () => [
          {
            method: 'POST',
            path: LINE_WEBHOOK_PATH,
            async handle(req, res) {
              if (req.headers['x-line-token'] !== settings.token)
                return sendJson(res, 401, { error: 'bad token' })
              if (host === undefined) return sendJson(res, 503, { error: 'starting' })
              const body = parseJson(await readRawBody(req, 64 * 1024)) as { events?: LineEvent[] }
              for (const e of body.events ?? []) {
                await host.receive({
                  channel: 'line',
                  externalId: e.id,
                  contact: { externalId: e.userId, displayName: e.name },
                  kind: 'text',
                  text: e.text,
                  sentAt: new Date(e.timestamp),
                })
              }
              ctx.log.debug({ events: body.events?.length ?? 0 }, 'line webhook stored')
              sendJson(res, 200, { ok: true })
            },
          },
        ],
      }
    },
  })
  return { module, sent }
}
