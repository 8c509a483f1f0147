import type { App } from '@slack/bolt'
import type { Actor } from '../../../src/core/helpdesk.js'
import type { EndpointView, TestOutcome } from '../../../src/core/webhooks.js'
import { slashCommand } from '../command-table.js'
import { escapeText, fromSlackText, parseTicketNumber } from '../text.js'
import type { DoorContext } from './context.js'

const slackDate = (at: string | Date) => {
  const d = new Date(at)
  return `<!date^${Math.floor(d.getTime() / 1000)}^{date_short} {time}|${d.toISOString()}>`
}

/**
 * /apikey and /webhook: the HTTP API's keys and the endpoints its events go to, for admins. A key
 * or a signing secret is shown once, in the ephemeral answer to the admin who created it; nothing
 * shows it again.
 */
export function registerApiCommands(app: App, ctx: DoorContext): void {
  registerApiKey(app, ctx)
  registerWebhook(app, ctx)
}

function registerApiKey(app: App, { apiKeys, attempt }: DoorContext): void {
  app.command(slashCommand('apikey'), async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    const [sub = 'list', name = '', role = 'customer'] = command.text.trim().split(/\s+/)
    const answer = await attempt(async () => {
      switch (sub.toLowerCase()) {
        case 'create': {
          if (name === '') return ':warning: Name the key: `/apikey create NAME [admin]`.'
          const created = await apiKeys.create(actor, name, role.toLowerCase())
          return [
            `:key: API key \`${created.name}\` (${created.role}) created. Copy it now: it is not shown again.`,
            `\`${created.key}\``,
            'Send it as `Authorization: Bearer KEY`.',
          ].join('\n')
        }
        case 'revoke':
          if (name === '') return ':warning: Say which key: `/apikey revoke NAME`.'
          await apiKeys.revoke(actor, name)
          return `API key \`${escapeText(name.toLowerCase())}\` is revoked: requests with it are refused from now on.`
        case 'list': {
          const keys = await apiKeys.list(actor)
          if (keys.length === 0) return 'No API keys yet. `/apikey create NAME` makes one.'
          return [
            '*API keys*',
            ...keys.map((k) => {
              const state =
                k.revoked_at !== null
                  ? `revoked ${slackDate(k.revoked_at)}`
                  : k.last_used_at === null
                    ? 'never used'
                    : `last used ${slackDate(k.last_used_at)}`
              return `• \`${k.name}\` — ${k.role}, created by <@${k.created_by}>, ${state}`
            }),
          ].join('\n')
        }
        default:
          return ':warning: Use `/apikey create NAME [admin]`, `/apikey list` or `/apikey revoke NAME`.'
      }
    })
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })
}

function endpointLine(e: EndpointView): string {
  const state = e.paused
    ? `:double_vertical_bar: paused (${escapeText(e.lastError ?? 'failing')}); \`/webhook test ${e.id}\` resumes it`
    : e.failingSince !== null
      ? `:warning: failing since ${slackDate(e.failingSince)} (${escapeText(e.lastError ?? '')})`
      : 'ok'
  return `• *${e.id}* ${escapeText(e.url)} — ${e.events.join(', ')} — ${state}`
}

function testText(id: number, outcome: TestOutcome): string {
  if (!outcome.ok) return `:x: Endpoint ${id} did not take the test event: ${escapeText(outcome.reason)}.`
  const resumed = outcome.resumed
    ? ' It was paused and is resumed: the events that waited go out now, in order.'
    : ''
  return `:white_check_mark: Endpoint ${id} answered the test event in ${outcome.ms} ms.${resumed}`
}

function registerWebhook(app: App, { webhooks, attempt }: DoorContext): void {
  app.command(slashCommand('webhook'), async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    const [sub = 'list', first = '', ...rest] = command.text.trim().split(/\s+/)
    const answer = await attempt(async () => {
      switch (sub.toLowerCase()) {
        case 'add': {
          if (first === '') return ':warning: Give the URL: `/webhook add URL [EVENTS…]`.'
          const url = fromSlackText(first).replace(/ \(.*\)$/, '')
          const added = await webhooks.add(
            actor,
            url,
            rest.map((e) => e.toLowerCase()),
          )
          return [
            `:link: Webhook endpoint *${added.id}* added: ${escapeText(added.url)} receives ${added.events.join(', ')}.`,
            `Its signing secret, shown only now: \`${added.secret}\``,
            `Verify each request with it (Standard Webhooks); \`/webhook test ${added.id}\` sends a test event.`,
          ].join('\n')
        }
        case 'remove':
        case 'test': {
          const id = parseTicketNumber(first)
          if (id === undefined) return `:warning: Say which endpoint: \`/webhook ${sub.toLowerCase()} ID\`.`
          if (sub.toLowerCase() === 'test') return testText(id, await webhooks.test(actor, id))
          await webhooks.remove(actor, id)
          return `Webhook endpoint ${id} is removed: nothing more is sent to it.`
        }
        case 'list': {
          const all = await webhooks.list(actor)
          if (all.length === 0) return 'No webhook endpoints yet. `/webhook add URL` adds one.'
          return ['*Webhook endpoints*', ...all.map(endpointLine)].join('\n')
        }
        default:
          return ':warning: Use `/webhook add URL [EVENTS…]`, `/webhook list`, `/webhook remove ID` or `/webhook test ID`.'
      }
    })
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })
}
