import type { App } from '@slack/bolt'
import type { Actor } from '../../../src/core/helpdesk.js'
import { RULE_USAGE } from '../../../src/core/rules.js'
import { accessRemovedText, roleSetText } from '../answers.js'
import { slashCommand } from '../command-table.js'
import { outboxText } from '../outbox-text.js'
import { escapeText, fromSlackText, mention, parseMention, parseTicketNumber } from '../text.js'
import type { DoorContext } from './context.js'

/**
 * The team's settings as slash commands, answered ephemerally: everyone reads them, the core
 * decides who may change them (admins, or supervisors for /outbox retry).
 */
export function registerAdminCommands(app: App, ctx: DoorContext): void {
  registerCanned(app, ctx)
  registerOutbox(app, ctx)
  registerAgents(app, ctx)
  registerTemplates(app, ctx)
  registerRules(app, ctx)
  registerShift(app, ctx)
  registerHours(app, ctx)
}

/** /canned: the team's canned replies; admins change them, everyone uses them. */
function registerCanned(app: App, { canned, attempt }: DoorContext): void {
  app.command(slashCommand('canned'), async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    const [sub = 'list', name = ''] = command.text.trim().split(/\s+/)
    const answer = await attempt(async () => {
      switch (sub.toLowerCase()) {
        case 'add':
          return canned.add(actor, name, fromSlackText(command.text.trim().replace(/^add\s+\S+\s*/i, '')))
        case 'remove':
          return canned.remove(actor, name)
        case 'list': {
          const all = await canned.list()
          if (all.length === 0) return 'No canned replies yet. Admins add them: `/canned add NAME TEXT`.'
          return [
            '*Canned replies* (use one with `/reply 42 :NAME` or `:NAME` in a thread)',
            ...all.map((c) => `• \`:${c.name}\` — ${escapeText(c.text)}`),
          ].join('\n')
        }
        default:
          return `:warning: \`${sub}\` is not a /canned command. Use \`/canned list\`, \`/canned add NAME TEXT\` or \`/canned remove NAME\`.`
      }
    })
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })
}

/** /outbox: what waits to be delivered and why; supervisors force a try. */
function registerOutbox(app: App, { outbox, clock, attempt, channels }: DoorContext): void {
  app.command(slashCommand('outbox'), async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    const sub = command.text.trim().toLowerCase()
    const answer = await attempt(async () => {
      if (sub === 'retry') {
        const count = await outbox.retryNow(actor)
        return count === 0
          ? 'Nothing was waiting for a later try: everything queued is already being delivered.'
          : `Trying ${count} held ${count === 1 ? 'delivery' : 'deliveries'} again now.`
      }
      if (sub !== '')
        return ':warning: Use `/outbox` to see what waits, or `/outbox retry` to try it all now.'
      return outboxText(await outbox.report(actor), clock.now(), channels.labelOf)
    })
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })
}

/** /agents: roles; admins change them. */
function registerAgents(app: App, { agents, attempt }: DoorContext): void {
  app.command(slashCommand('agents'), async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    const [sub = 'list', who = '', role = 'agent'] = command.text.trim().split(/\s+/)
    const answer = await attempt(async () => {
      if (sub === 'list') {
        const all = await agents.list()
        return ['*Agents*', ...all.map((a) => `• ${mention(a.deskUserId)} — ${a.role}`)].join('\n')
      }
      const user = parseMention(who)
      if ((sub !== 'add' && sub !== 'remove') || user === undefined) {
        return ':warning: Use `/agents list`, `/agents add @user agent|supervisor|admin` or `/agents remove @user`.'
      }
      if (sub === 'add') return roleSetText(user, await agents.setRole(actor, user, role.toLowerCase()))
      await agents.remove(actor, user)
      return accessRemovedText(user)
    })
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })
}

/** /templates: the messages the bot sends on its own, per language; admins edit them. */
function registerTemplates(app: App, { templates, attempt }: DoorContext): void {
  app.command(slashCommand('templates'), async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    const [sub = 'list', name = '', maybeLanguage = '', ...rest] = command.text.trim().split(/\s+/)
    // A word after the name is a language only when text follows it (or when resetting).
    const hasLanguage = /^[a-z]{2,3}(-[A-Za-z]{2})?$/.test(maybeLanguage) && rest.length > 0
    const language = hasLanguage || (sub === 'reset' && maybeLanguage !== '') ? maybeLanguage : undefined
    const text = (hasLanguage ? rest : [maybeLanguage, ...rest]).join(' ')
    const answer = await attempt(async () => {
      switch (sub.toLowerCase()) {
        case 'set':
          return templates.set(actor, name, language, fromSlackText(text))
        case 'reset':
          return templates.reset(actor, name, language)
        case 'list': {
          const all = await templates.list()
          const lines = all.map(
            (t) => `• *${t.name}*${t.language === '' ? '' : ` (${t.language})`}: ${escapeText(t.text)}`,
          )
          return [
            '*Automatic messages* (admins: `/templates set NAME [LANG] TEXT`, `/templates reset NAME [LANG]`)',
            ...lines,
          ].join('\n')
        }
        default:
          return ':warning: Use `/templates list`, `/templates set NAME [LANG] TEXT` or `/templates reset NAME [LANG]`.'
      }
    })
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })
}

/** /rules: what a new ticket's first message sets (priority, type, tags, Slack channel); admins edit. */
function registerRules(app: App, { rules, attempt }: DoorContext): void {
  app.command(slashCommand('rules'), async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    const [sub = 'list', ...rest] = command.text.trim().split(/\s+/)
    const answer = await attempt(async () => {
      switch (sub.toLowerCase()) {
        case 'add':
          return rules.add(actor, rest.join(' '))
        case 'remove': {
          const id = parseTicketNumber(rest[0])
          if (id === undefined) return ':warning: Say which rule: `/rules remove 3`.'
          return rules.remove(actor, id)
        }
        case 'list': {
          const all = await rules.list()
          return all.length === 0
            ? `No rules yet. ${RULE_USAGE}`
            : ['*Rules* (applied in order to new tickets)', ...all.map((r) => `• ${r}`)].join('\n')
        }
        default:
          return `:warning: Use \`/rules list\`, \`/rules add if … then …\` or \`/rules remove N\`. ${RULE_USAGE}`
      }
    })
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })
}

/** /shift on|off: whether auto-assignment gives you new tickets. */
function registerShift(app: App, { helpdesk, attempt }: DoorContext): void {
  app.command(slashCommand('shift'), async ({ command, ack }) => {
    const word = command.text.trim().toLowerCase()
    const answer =
      word === 'on' || word === 'off'
        ? await attempt(() => helpdesk.setShift({ deskUserId: command.user_id }, word === 'on'))
        : ':warning: Use `/shift on` or `/shift off`.'
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })
}

/** /hours: the schedule SLA clocks and auto-replies follow. */
function registerHours(app: App, { hours, clock }: DoorContext): void {
  app.command(slashCommand('hours'), async ({ ack }) => {
    const now = clock.now()
    const state = hours.isOpen(now)
      ? 'The team is *open* now.'
      : `The team is *away*; back ${hours.format(hours.nextOpening(now))}.`
    await ack({ response_type: 'ephemeral', text: `${state}\n${hours.describe()}` })
  })
}
