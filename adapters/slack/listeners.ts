import type {
  App,
  BlockButtonAction,
  BlockStaticSelectAction,
  MessageShortcut,
  ViewOutput,
} from '@slack/bolt'
import type { WebClient } from '@slack/web-api'
import { describeError, isDeskError } from '../../src/core/errors.js'
import type { Actor, HelpDesk, Origin } from '../../src/core/helpdesk.js'
import type { Logger } from '../../src/core/logger.js'
import type { Clock } from '../../src/core/clock.js'
import type { BusinessHours } from '../../src/core/hours.js'
import type { TicketFields } from '../../src/core/ticket-fields.js'
import type { CannedReplies } from '../../src/core/canned.js'
import type { OutboxControl } from '../../src/core/outbox-report.js'
import type { Agents } from '../../src/core/agents.js'
import { RULE_USAGE, type Rules } from '../../src/core/rules.js'
import type { ReplyTemplates } from '../../src/core/templates.js'
import { FILTER_HELP, parseFilter, type TicketQueries } from '../../src/core/ticket-query.js'
import { BULK_LIMIT, describeBulk, parseBulk, type Bulk, type BulkSpec } from '../../src/core/bulk.js'
import { channelLabel, statusLabel, type Channel } from '../../src/core/model.js'
import { ACTION } from './blocks.js'
import {
  COMMANDS,
  helpText,
  isCommandName,
  runSlashCommand,
  replyText,
  runThreadCommand,
  type Core,
} from './commands.js'
import { call } from './errors.js'
import { outboxText } from './outbox-text.js'
import { assignModal, cannedModal, MODAL, noteModal, type ModalTarget } from './modals.js'
import { escapeText, fromSlackText, parseMention, parseTicketNumber } from './text.js'
import { classifyThreadMessage, type ReplyMode } from './classify.js'

export interface ListenerDeps {
  readonly queries: TicketQueries
  readonly rules: Rules
  readonly templates: ReplyTemplates
  readonly bulk: Bulk
  readonly helpdesk: HelpDesk
  readonly fields: TicketFields
  readonly canned: CannedReplies
  readonly agents: Agents
  readonly outbox: OutboxControl
  readonly hours: BusinessHours
  readonly clock: Clock
  /** The markers that keep a thread message private (see classify.ts). */
  readonly noteMarkers: readonly string[]
  /** Per channel of the ticket: whether a plain thread message goes to the customer. */
  readonly replyModes: Readonly<Record<Channel, ReplyMode>>
  readonly log: Logger
}

/** Message shortcuts (callback ids), as declared in the app manifest. */
export const SHORTCUT = {
  resolve: 'td_resolve_message',
  assign: 'td_assign_message',
  note: 'td_note_message',
} as const

/** Slack retries an event three times; after the third, nothing more comes. */
const SLACK_LAST_RETRY = 3

const SLASH_COMMANDS = [...Object.keys(COMMANDS), 'ticket']

type ModalValues = ViewOutput['state']['values']

/** Wires every door of DESIGN.md into Bolt: thread replies, slash commands, buttons, shortcuts and modals. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const { helpdesk, log } = deps
  const names = new Map<string, string>()
  /** An agent's name as customers should see it, from Slack's profile (cached; the mention if unreadable). */
  async function agentName(deskUserId: string): Promise<string> {
    const known = names.get(deskUserId)
    if (known !== undefined) return known
    const info = await call('users.info', () => app.client.users.info({ user: deskUserId })).catch(
      () => undefined,
    )
    const profile = info?.user?.profile
    const name = profile?.display_name || profile?.real_name || info?.user?.real_name || info?.user?.name
    if (name === undefined || name === '') return 'our team'
    names.set(deskUserId, name)
    return name
  }
  const core: Core = {
    helpdesk,
    fields: deps.fields,
    canned: deps.canned,
    agentName,
    noteMarkers: deps.noteMarkers,
  }

  /** What to tell the agent when an action failed: our own refusals verbatim, anything else logged. */
  function failureText(error: unknown): string | undefined {
    if (isDeskError(error)) return error.code === 'duplicate' ? undefined : `:warning: ${error.message}`
    log.error({ err: describeError(error) }, 'slack action failed')
    return ':x: Something went wrong on our side and nothing was changed. Please try again.'
  }

  async function attempt(work: () => Promise<string>): Promise<string | undefined> {
    try {
      return await work()
    } catch (error) {
      return failureText(error)
    }
  }

  async function tellAgent(
    client: WebClient,
    target: { channel: string; user: string; threadTs?: string },
    text?: string,
  ) {
    if (text === undefined) return
    await call('chat.postEphemeral', () =>
      client.chat.postEphemeral({
        channel: target.channel,
        user: target.user,
        text,
        ...(target.threadTs !== undefined && { thread_ts: target.threadTs }),
      }),
    ).catch((error: unknown) => log.warn({ err: describeError(error) }, 'could not answer the agent'))
  }

  /** Answers the agent who pressed a button or picked an option, in the channel where they did. */
  async function tellActor(
    client: WebClient,
    body: { readonly channel?: { readonly id: string }; readonly user: { readonly id: string } },
    text: string | undefined,
  ) {
    if (body.channel !== undefined)
      await tellAgent(client, { channel: body.channel.id, user: body.user.id }, text)
  }

  // Door 1: plain replies, notes and !commands typed in a ticket's thread.
  app.message(async ({ message, client, context }) => {
    if (message.subtype === 'file_share' && message.thread_ts !== undefined && message.user !== undefined) {
      const { channel, thread_ts: threadTs, user } = message
      if ((await helpdesk.ticketOfThread({ channel, ts: threadTs })) === undefined) return
      await tellAgent(
        client,
        { channel, user, threadTs },
        ':warning: Files cannot be sent to customers yet, so nothing of that message was sent. Send its text as a plain reply.',
      )
      return
    }
    // A reply also sent to the channel (thread_broadcast) is a reply like any other.
    if (message.subtype !== undefined && message.subtype !== 'thread_broadcast') return
    if (message.thread_ts === undefined || message.thread_ts === message.ts) return
    if ('bot_id' in message && message.bot_id !== undefined) return
    const ticketId = await helpdesk.ticketOfThread({ channel: message.channel, ts: message.thread_ts })
    if (ticketId === undefined) return // a thread that is not a ticket's

    const actor: Actor = { deskUserId: message.user }
    // One Slack message is acted on once, whatever event carried it.
    const origin: Origin = { eventKey: `slack:${message.channel}:${message.ts}`, deskTs: message.ts }
    const where = { channel: message.channel, user: message.user, threadTs: message.thread_ts }
    const { channel } = await helpdesk.view(ticketId)
    const said = classifyThreadMessage(typeof message.text === 'string' ? message.text : '', {
      markers: deps.noteMarkers,
      mode: deps.replyModes[channel],
    })

    if (said.verdict === 'command') {
      await tellAgent(
        client,
        where,
        await attempt(() => runThreadCommand(core, actor, ticketId, said.text, origin)),
      )
      return
    }
    // Replies and notes need no answer when they work: they already stand in the thread.
    try {
      if (said.verdict === 'reply') {
        await helpdesk.reply(actor, ticketId, await replyText(core, actor, ticketId, said.text), origin)
      } else {
        await helpdesk.note(actor, ticketId, fromSlackText(said.text), origin)
      }
    } catch (error) {
      // A refusal is the agent's to read. Anything else (the database failing) is answered with an
      // error so Slack sends the message again; only after Slack's last retry is the agent told.
      if (!isDeskError(error) && (context.retryNum ?? 0) < SLACK_LAST_RETRY) throw error
      await tellAgent(client, where, failureText(error))
    }
  })

  // /canned: the team's canned replies; admins change them, everyone uses them.
  app.command('/canned', async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    const [sub = 'list', name = ''] = command.text.trim().split(/\s+/)
    const answer = await attempt(async () => {
      switch (sub.toLowerCase()) {
        case 'add':
          return deps.canned.add(
            actor,
            name,
            fromSlackText(command.text.trim().replace(/^add\s+\S+\s*/i, '')),
          )
        case 'remove':
          return deps.canned.remove(actor, name)
        case 'list': {
          const all = await deps.canned.list()
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

  // /outbox: what waits to be delivered and why; supervisors force a try.
  app.command('/outbox', async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    const sub = command.text.trim().toLowerCase()
    const answer = await attempt(async () => {
      if (sub === 'retry') {
        const count = await deps.outbox.retryNow(actor)
        return count === 0
          ? 'Nothing was waiting for a later try: everything queued is already being delivered.'
          : `Trying ${count} held ${count === 1 ? 'delivery' : 'deliveries'} again now.`
      }
      if (sub !== '')
        return ':warning: Use `/outbox` to see what waits, or `/outbox retry` to try it all now.'
      return outboxText(await deps.outbox.report(actor), deps.clock.now())
    })
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })

  // /agents: roles; admins change them.
  app.command('/agents', async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    const [sub = 'list', who = '', role = 'agent'] = command.text.trim().split(/\s+/)
    const answer = await attempt(async () => {
      if (sub === 'list') {
        const all = await deps.agents.list()
        return ['*Agents*', ...all.map((a) => `• <@${a.deskUserId}> — ${a.role}`)].join('\n')
      }
      const user = parseMention(who)
      if ((sub !== 'add' && sub !== 'remove') || user === undefined) {
        return ':warning: Use `/agents list`, `/agents add @user agent|supervisor|admin` or `/agents remove @user`.'
      }
      return sub === 'remove'
        ? deps.agents.remove(actor, user)
        : deps.agents.setRole(actor, user, role.toLowerCase())
    })
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })

  // Door 3: lists. /tickets [filters] answers with tickets that link to their threads.
  let workspaceUrl: Promise<string> | undefined
  const threadLink = async (channel: string, ts: string): Promise<string> => {
    workspaceUrl ??= call('auth.test', () => app.client.auth.test()).then(
      (r) => r.url ?? 'https://slack.com/',
      () => 'https://slack.com/',
    )
    return `${await workspaceUrl}archives/${channel}/p${ts.replace('.', '')}`
  }

  app.command('/tickets', async ({ command, ack }) => {
    if (/^bulk(\s|$)/i.test(command.text.trim())) {
      await ack(
        await bulkConfirmation({ deskUserId: command.user_id }, command.text.trim().replace(/^bulk\s*/i, '')),
      )
      return
    }
    const answer = await attempt(async () => {
      const filter = parseFilter(command.text, command.user_id)
      const { tickets, more } = await deps.queries.list(filter, deps.clock.now())
      if (tickets.length === 0) return `No tickets match. ${FILTER_HELP}`
      const lines = await Promise.all(
        tickets.map(async (t) => {
          const number =
            t.threadChannel === null || t.threadTs === null
              ? `#${t.id}`
              : `<${await threadLink(t.threadChannel, t.threadTs)}|#${t.id}>`
          const who = t.assignee === null ? 'unassigned' : `<@${t.assignee}>`
          const subject = t.subject.length > 60 ? `${t.subject.slice(0, 59)}…` : t.subject
          return `• ${number} · ${statusLabel[t.status]} · ${t.priority} · ${channelLabel[t.channel]} · ${escapeText(t.customer)} — ${escapeText(subject)} · ${who}`
        }),
      )
      const tail = more ? `\n_The ${tickets.length} newest are shown; narrow the filters to see others._` : ''
      return `${lines.join('\n')}${tail}`
    })
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })

  /** The ephemeral answer to /tickets bulk: how many tickets, and buttons to confirm or cancel. */
  async function bulkConfirmation(actor: Actor, text: string) {
    try {
      const spec = parseBulk(text)
      const count = await deps.bulk.preview(actor, spec)
      if (count === 0)
        return { response_type: 'ephemeral' as const, text: 'No tickets match, so there is nothing to do.' }
      const scope = spec.filter.trim() === '' ? 'that need work' : `matching \`${spec.filter.trim()}\``
      const limit = count > BULK_LIMIT ? ` (the ${BULK_LIMIT} newest in this run)` : ''
      const question = `This will *${describeBulk(spec)}* on *${count} ticket${count === 1 ? '' : 's'}*${limit} ${scope}.`
      return {
        response_type: 'ephemeral' as const,
        text: question,
        blocks: [
          { type: 'section' as const, text: { type: 'mrkdwn' as const, text: question } },
          {
            type: 'actions' as const,
            elements: [
              {
                type: 'button' as const,
                text: { type: 'plain_text' as const, text: 'Confirm' },
                style: 'primary' as const,
                action_id: ACTION.bulkConfirm,
                value: JSON.stringify(spec),
              },
              {
                type: 'button' as const,
                text: { type: 'plain_text' as const, text: 'Cancel' },
                action_id: ACTION.bulkCancel,
                value: 'cancel',
              },
            ],
          },
        ],
      }
    } catch (error) {
      return { response_type: 'ephemeral' as const, text: failureText(error) ?? '' }
    }
  }

  app.action<BlockButtonAction>(ACTION.bulkConfirm, async ({ action, body, ack, client }) => {
    await ack()
    const actor: Actor = { deskUserId: body.user.id }
    const answer = await attempt(() => deps.bulk.apply(actor, JSON.parse(action.value ?? '{}') as BulkSpec))
    await tellActor(client, body, answer)
  })

  app.action<BlockButtonAction>(ACTION.bulkCancel, async ({ body, ack, client }) => {
    await ack()
    await tellActor(client, body, 'Cancelled: nothing changed.')
  })

  // /templates: the messages the bot sends on its own, per language; admins edit them.
  app.command('/templates', async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    const [sub = 'list', name = '', maybeLanguage = '', ...rest] = command.text.trim().split(/\s+/)
    const hasLanguage = /^[a-z]{2,3}(-[A-Za-z]{2})?$/.test(maybeLanguage) && rest.length > 0
    const language = hasLanguage || (sub === 'reset' && maybeLanguage !== '') ? maybeLanguage : undefined
    const text = (hasLanguage ? rest : [maybeLanguage, ...rest]).join(' ')
    const answer = await attempt(async () => {
      switch (sub.toLowerCase()) {
        case 'set':
          return deps.templates.set(actor, name, language, fromSlackText(text))
        case 'reset':
          return deps.templates.reset(actor, name, language)
        case 'list': {
          const all = await deps.templates.list()
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

  // /rules: what a new ticket's first message sets (priority, type, tags, Slack channel); admins edit.
  app.command('/rules', async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    const [sub = 'list', ...rest] = command.text.trim().split(/\s+/)
    const answer = await attempt(async () => {
      switch (sub.toLowerCase()) {
        case 'add':
          return deps.rules.add(actor, rest.join(' '))
        case 'remove': {
          const id = parseTicketNumber(rest[0])
          if (id === undefined) return ':warning: Say which rule: `/rules remove 3`.'
          return deps.rules.remove(actor, id)
        }
        case 'list': {
          const all = await deps.rules.list()
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

  // /shift on|off: whether auto-assignment gives you new tickets.
  app.command('/shift', async ({ command, ack }) => {
    const word = command.text.trim().toLowerCase()
    const answer =
      word === 'on' || word === 'off'
        ? await attempt(() => helpdesk.setShift({ deskUserId: command.user_id }, word === 'on'))
        : ':warning: Use `/shift on` or `/shift off`.'
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })

  // /hours: the schedule SLA clocks and auto-replies follow.
  app.command('/hours', async ({ ack }) => {
    const { hours } = deps
    const now = deps.clock.now()
    const state = hours.isOpen(now)
      ? 'The team is *open* now.'
      : `The team is *away*; back ${hours.format(hours.nextOpening(now))}.`
    await ack({ response_type: 'ephemeral', text: `${state}\n${hours.describe()}` })
  })

  // Door 2: slash commands with the ticket number, answered ephemerally.
  app.command(new RegExp(`^/(${SLASH_COMMANDS.join('|')})$`), async ({ command, ack }) => {
    const actor: Actor = { deskUserId: command.user_id }
    let name = command.command.slice(1)
    let text = command.text
    if (name === 'ticket') {
      const [sub = 'help', ...rest] = text.trim().split(/\s+/)
      const shown = parseTicketNumber(sub)
      if (sub === '' || sub === 'help') {
        await ack({ response_type: 'ephemeral', text: helpText('slash') })
        return
      }
      if (shown !== undefined) {
        await ack({
          response_type: 'ephemeral',
          text: (await attempt(() => describeTicket(app.client, shown))) ?? '',
        })
        return
      }
      name = sub.toLowerCase()
      text = rest.join(' ')
    }
    if (!isCommandName(name)) {
      await ack({
        response_type: 'ephemeral',
        text: `:warning: \`${name}\` is not a command.\n${helpText('slash')}`,
      })
      return
    }
    const answer = await attempt(() => runSlashCommand(core, actor, name, text))
    await ack({ response_type: 'ephemeral', text: answer ?? '' })
  })

  async function describeTicket(client: WebClient, id: number): Promise<string> {
    const t = await helpdesk.view(id)
    const assignee = t.assignee === null ? 'unassigned' : `<@${t.assignee}>`
    let link = ''
    if (t.thread !== null) {
      const { thread } = t
      const res = await call('chat.getPermalink', () =>
        client.chat.getPermalink({ channel: thread.channel, message_ts: thread.ts }),
      )
      link = res.permalink === undefined ? '' : `\n<${res.permalink}|Open the thread>`
    }
    return `*#${t.id}* · ${channelLabel[t.channel]} · ${escapeText(t.customer.name)} · ${statusLabel[t.status]} · ${assignee}\n>${escapeText(t.subject)}${link}`
  }

  // Door 1 again: the buttons on the root message.
  app.action<BlockButtonAction>(
    new RegExp(`^(${ACTION.take}|${ACTION.resolve}|${ACTION.pending}|${ACTION.reopen})$`),
    async ({ action, body, ack, client }) => {
      await ack()
      const actor: Actor = { deskUserId: body.user.id }
      const id = Number(action.value)
      const answer = await attempt(async () => {
        switch (action.action_id) {
          case ACTION.take:
            return (await helpdesk.assign(actor, id, actor.deskUserId)).text
          case ACTION.resolve:
            return (await helpdesk.setStatus(actor, id, 'solved')).text
          case ACTION.pending:
            return (await helpdesk.setStatus(actor, id, 'pending')).text
          default:
            return (await helpdesk.setStatus(actor, id, 'open')).text
        }
      })
      await tellActor(client, body, answer)
    },
  )

  // The pickers on the root message: priority and type.
  for (const [actionId, set] of [
    [ACTION.priority, (actor: Actor, id: number, value: string) => deps.fields.setPriority(actor, id, value)],
    [ACTION.type, (actor: Actor, id: number, value: string) => deps.fields.setType(actor, id, value)],
  ] as const) {
    app.action<BlockStaticSelectAction>(actionId, async ({ action, body, ack, client }) => {
      await ack()
      const id = Number(action.block_id.replace(/^ticket_/, ''))
      const answer = await attempt(() => set({ deskUserId: body.user.id }, id, action.selected_option.value))
      await tellActor(client, body, answer)
    })
  }

  app.action<BlockButtonAction>(ACTION.canned, async ({ action, body, ack, client }) => {
    await ack()
    const target: ModalTarget = {
      ticketId: Number(action.value),
      channel: body.channel?.id ?? '',
      threadTs: body.message?.ts ?? '',
    }
    const all = await deps.canned.list()
    if (all.length === 0) {
      await tellAgent(
        client,
        { channel: target.channel, user: body.user.id },
        'No canned replies yet. Admins add them: `/canned add NAME TEXT`.',
      )
      return
    }
    await call('views.open', () =>
      client.views.open({ trigger_id: body.trigger_id, view: cannedModal(target, all) }),
    ).catch((error: unknown) =>
      log.warn({ err: describeError(error) }, 'could not open the canned reply modal'),
    )
  })

  app.action<BlockButtonAction>(ACTION.note, async ({ action, body, ack, client }) => {
    await ack()
    const target: ModalTarget = {
      ticketId: Number(action.value),
      channel: body.channel?.id ?? '',
      threadTs: body.message?.ts ?? '',
    }
    await call('views.open', () =>
      client.views.open({ trigger_id: body.trigger_id, view: noteModal(target) }),
    ).catch((error: unknown) => log.warn({ err: describeError(error) }, 'could not open the note modal'))
  })

  // Door 1 again: message shortcuts on any message of a ticket's thread.
  async function shortcutTarget(
    shortcut: MessageShortcut,
    client: WebClient,
  ): Promise<ModalTarget | undefined> {
    const threadTs = (shortcut.message.thread_ts as string | undefined) ?? shortcut.message.ts
    const ticketId = await helpdesk.ticketOfThread({ channel: shortcut.channel.id, ts: threadTs })
    if (ticketId === undefined) {
      await tellAgent(
        client,
        { channel: shortcut.channel.id, user: shortcut.user.id },
        ":warning: This message is not in a ticket's thread. Use the shortcut on a message of a ticket thread.",
      )
      return undefined
    }
    return { ticketId, channel: shortcut.channel.id, threadTs }
  }

  app.shortcut<MessageShortcut>(SHORTCUT.resolve, async ({ shortcut, ack, client }) => {
    await ack()
    const target = await shortcutTarget(shortcut, client)
    if (target === undefined) return
    const answer = await attempt(
      async () =>
        (await helpdesk.setStatus({ deskUserId: shortcut.user.id }, target.ticketId, 'solved')).text,
    )
    await tellAgent(
      client,
      { channel: target.channel, user: shortcut.user.id, threadTs: target.threadTs },
      answer,
    )
  })

  for (const [id, modal] of [
    [SHORTCUT.assign, assignModal],
    [SHORTCUT.note, noteModal],
  ] as const) {
    app.shortcut<MessageShortcut>(id, async ({ shortcut, ack, client }) => {
      await ack()
      const target = await shortcutTarget(shortcut, client)
      if (target === undefined) return
      await call('views.open', () =>
        client.views.open({ trigger_id: shortcut.trigger_id, view: modal(target) }),
      ).catch((error: unknown) => log.warn({ err: describeError(error) }, 'could not open a modal'))
    })
  }

  // The modals' submissions: errors are shown on the field, success ephemerally in the thread.
  const submissions = [
    {
      id: MODAL.note,
      field: 'note',
      run: (actor: Actor, target: ModalTarget, values: ModalValues) =>
        helpdesk.note(actor, target.ticketId, values.note?.text?.value ?? ''),
    },
    {
      id: MODAL.canned,
      field: 'canned',
      run: async (actor: Actor, target: ModalTarget, values: ModalValues) => {
        const name = values.canned?.name?.selected_option?.value ?? ''
        const text = await deps.canned.render(name, target.ticketId, await agentName(actor.deskUserId))
        return helpdesk.reply(actor, target.ticketId, text)
      },
    },
    {
      id: MODAL.assign,
      field: 'assignee',
      run: (actor: Actor, target: ModalTarget, values: ModalValues) =>
        helpdesk.assign(actor, target.ticketId, values.assignee?.user?.selected_user ?? ''),
    },
  ] as const
  for (const submission of submissions) {
    app.view(submission.id, async ({ ack, view, body, client }) => {
      const target = JSON.parse(view.private_metadata) as ModalTarget
      try {
        const out = await submission.run({ deskUserId: body.user.id }, target, view.state.values)
        await ack()
        const where = { channel: target.channel, user: body.user.id, threadTs: target.threadTs }
        await tellAgent(client, where, out.text)
      } catch (error) {
        const text = failureText(error) ?? 'Already done.'
        await ack({ response_action: 'errors', errors: { [submission.field]: text } })
      }
    })
  }
}
