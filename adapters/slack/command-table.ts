/**
 * Every way an agent acts on the desk, in one table: the slash commands, the commands typed in a
 * ticket's thread, the message shortcuts and the root message's buttons. Each row says what it
 * does, who may use it, and whether the customer receives anything because of it. The help texts
 * (`/ticket help`, `!help`), README's command tables and the registration of slash commands are
 * made from it, and tests hold slack-app-manifest.yaml to it, so none of them can drift.
 *
 * Pure data: the doors (doors/*.ts) and the command runners (commands.ts) import it, never the
 * reverse.
 */

/** The least role that may use a door; a supervisor may do all an agent may, an admin everything. */
export type Role = 'agent' | 'supervisor' | 'admin'

/** Where a ticket command is typed: as a slash command anywhere, or as `!command` in a ticket's thread. */
export type Door = 'slash' | 'thread'

/** One way in, as the help lists it. */
export interface Entry {
  /** What to type or use: `/canned add NAME TEXT`, `!resolve`, `a plain reply`. */
  readonly usage: string
  /** What it does, in one line. */
  readonly description: string
  readonly who: Role
  /** Whether the customer receives something because of it. */
  readonly toCustomer: boolean
}

/** A command on one ticket: `!name ARGS` in the ticket's thread, `/slash 42 ARGS` anywhere. */
export interface TicketCommand {
  /** Arguments after the ticket number (in a thread, after the command). */
  readonly args: string
  readonly description: string
  readonly who: Role
  readonly toCustomer: boolean
  /**
   * The slash command's name when it cannot be the command's own: Slack's built-in commands
   * (`/topic`, `/status`, …) take precedence over an app's, so ours would never be called.
   */
  readonly slash?: string
}

/** Every ticket command, in the order the help lists them. */
export const TICKET_COMMANDS = {
  reply: {
    args: 'TEXT|:CANNED',
    description:
      'Send TEXT, or a canned reply, to the customer; with the ticket alone, a form to attach files',
    who: 'agent',
    toCustomer: true,
  },
  note: { args: 'TEXT', description: 'Add a private note', who: 'agent', toCustomer: false },
  assign: {
    args: '@user',
    description: 'Assign the ticket (supervisors and admins assign it to others)',
    who: 'agent',
    toCustomer: false,
  },
  template: {
    args: 'NAME [param | param …]',
    description: 'Send an approved WhatsApp template, also outside the 24-hour window',
    who: 'agent',
    toCustomer: true,
  },
  take: { args: '', description: 'Assign the ticket to yourself', who: 'agent', toCustomer: false },
  resolve: { args: '', description: 'Mark the ticket solved', who: 'agent', toCustomer: false },
  pending: {
    args: '',
    description: 'Set the ticket pending: waiting on the customer',
    who: 'agent',
    toCustomer: false,
  },
  hold: {
    args: '',
    description: 'Put the ticket on hold: waiting on another team',
    who: 'agent',
    toCustomer: false,
  },
  reopen: { args: '', description: 'Open the ticket again', who: 'agent', toCustomer: false },
  priority: {
    args: 'low|normal|high|urgent',
    description: "Set the ticket's priority (it sets the SLA targets)",
    who: 'agent',
    toCustomer: false,
  },
  type: { args: 'TYPE', description: "Set the ticket's type", who: 'agent', toCustomer: false },
  tag: {
    args: '+tag -tag …',
    description: "Add (+tag) and remove (-tag) the ticket's tags",
    who: 'agent',
    toCustomer: false,
  },
  topic: {
    args: 'TEXT',
    description: "Set the ticket's topic (empty clears it)",
    who: 'agent',
    toCustomer: false,
    slash: 'settopic',
  },
  history: {
    args: '',
    description: "Show the ticket's history: who changed what, from what, to what, when",
    who: 'agent',
    toCustomer: false,
  },
  block: {
    args: '',
    description: "Block the ticket's contact: their messages are kept but open no ticket and page no one",
    who: 'agent',
    toCustomer: false,
  },
  unblock: {
    args: '',
    description: "Unblock the ticket's contact",
    who: 'agent',
    toCustomer: false,
  },
  allow: {
    args: '',
    description: "Let the ticket's contact open tickets (`CONTACT_POLICY=known`)",
    who: 'supervisor',
    toCustomer: false,
  },
} as const satisfies Record<string, TicketCommand>

export type TicketCommandName = keyof typeof TICKET_COMMANDS

export const TICKET_COMMAND_NAMES = Object.keys(TICKET_COMMANDS) as TicketCommandName[]

export const isTicketCommandName = (word: string): word is TicketCommandName =>
  Object.hasOwn(TICKET_COMMANDS, word)

/** A ticket command's slash command, without its `/`. */
export function slashNameOf(name: TicketCommandName): string {
  const command: TicketCommand = TICKET_COMMANDS[name]
  return command.slash ?? name
}

/** The ticket command a word names: its own name (`topic`, as in `/ticket topic 42`) or its slash command's. */
export function ticketCommandNamed(word: string): TicketCommandName | undefined {
  if (isTicketCommandName(word)) return word
  return TICKET_COMMAND_NAMES.find((name) => slashNameOf(name) === word)
}

/** How a ticket command is typed at a door. */
export function usageOf(name: TicketCommandName, door: Door): string {
  const { args } = TICKET_COMMANDS[name]
  const head = door === 'slash' ? `/${slashNameOf(name)} 42` : `!${name}`
  return args === '' ? head : `${head} ${args}`
}

/** Where the help lists a slash command that is not a ticket command. */
export type Section = 'ticket' | 'lists' | 'team'

/** One way to use a slash command, as the help lists it. */
export interface Form {
  /** The arguments after the command. */
  readonly args: string
  readonly description: string
  readonly who: Role
  readonly toCustomer: boolean
}

/** A slash command besides the ticket commands: its manifest entry, and the forms the help lists. */
export interface SlashCommand {
  readonly section: Section
  /** The usage hint Slack shows while typing (the manifest's `usage_hint`). */
  readonly hint: string
  /** One line, as Slack shows it (the manifest's `description`). */
  readonly description: string
  /** The least role that may use some form of it. */
  readonly who: Role
  readonly forms: readonly Form[]
}

/** The slash commands that are not ticket commands, by name, in the order the help lists them. */
export const SLASH_COMMANDS = {
  ticket: {
    section: 'ticket',
    hint: '42 | COMMAND 42 … | help',
    description: 'Show a ticket, run a ticket command, or list every command',
    who: 'agent',
    forms: [
      { args: '42', description: 'Show a ticket and a link to its thread', who: 'agent', toCustomer: false },
      {
        args: 'COMMAND 42 …',
        description: 'Run a ticket command: `/ticket resolve 42` is `/resolve 42`',
        who: 'agent',
        toCustomer: false,
      },
      { args: 'help', description: 'List every command', who: 'agent', toCustomer: false },
    ],
  },
  tickets: {
    section: 'lists',
    hint: '[filters] | bulk resolve|assign|tag|priority … [filters]',
    description:
      'List tickets by status, assignee, channel, priority, tag, type, age or words; act on many at once',
    who: 'agent',
    forms: [
      {
        args: '[filters]',
        description:
          'List the tickets that match, newest first, each linked to its thread. Filters: `status:open` (or `all`; without it, the tickets that need work), `closed:unknown` (contacts `CONTACT_POLICY=known` kept out), `assignee:me|none|@user`, `channel:telegram`, `priority:high`, `tag:vip`, `type:incident`, `age:>3d` or `age:<2h`, and words to find in subjects and topics',
        who: 'agent',
        toCustomer: false,
      },
      {
        args: 'bulk resolve [filters]',
        description: 'Resolve every ticket that matches, after you confirm',
        who: 'supervisor',
        toCustomer: false,
      },
      {
        args: 'bulk assign @user [filters]',
        description: 'Assign every ticket that matches to someone, after you confirm',
        who: 'supervisor',
        toCustomer: false,
      },
      {
        args: 'bulk tag TAG [filters]',
        description: 'Tag every ticket that matches, after you confirm',
        who: 'supervisor',
        toCustomer: false,
      },
      {
        args: 'bulk priority low|normal|high|urgent [filters]',
        description: 'Set the priority of every ticket that matches, after you confirm',
        who: 'supervisor',
        toCustomer: false,
      },
    ],
  },
  report: {
    section: 'lists',
    hint: '[today|yesterday|7d|30d|FROM..TO] [channel:NAME] [agent:@user] [public] [csv]',
    description: 'How the desk is doing: tickets, response times, SLA, agents, with charts',
    who: 'agent',
    forms: [
      {
        args: '[PERIOD] [channel:NAME]',
        description:
          'Your figures over PERIOD: `today`, `yesterday`, `7d` (the default), `30d` or `2026-11-01..2026-11-30`. Tickets, first response and resolution, SLA, busiest hours; the charts come in your messages with the app',
        who: 'agent',
        toCustomer: false,
      },
      {
        args: '… [agent:@user]',
        description: "The whole desk's figures, or one agent's, with a line per agent",
        who: 'supervisor',
        toCustomer: false,
      },
      {
        args: '… public',
        description: 'Post the report and its charts in this channel for everyone',
        who: 'agent',
        toCustomer: false,
      },
      {
        args: '… csv',
        description: "Also upload the period's tickets as CSV, one row per ticket",
        who: 'agent',
        toCustomer: false,
      },
    ],
  },
  shift: {
    section: 'team',
    hint: 'on | off',
    description: 'Go on or off shift (auto-assignment)',
    who: 'agent',
    forms: [
      {
        args: 'on|off',
        description: 'Go on or off shift: auto-assignment gives new tickets to agents on shift',
        who: 'agent',
        toCustomer: false,
      },
    ],
  },
  hours: {
    section: 'team',
    hint: '',
    description: "Show the support team's business hours",
    who: 'agent',
    forms: [
      {
        args: '',
        description: "Show the team's business hours and whether it is open now",
        who: 'agent',
        toCustomer: false,
      },
    ],
  },
  canned: {
    section: 'team',
    hint: 'list | add NAME TEXT | remove NAME',
    description: "List, add or remove the team's canned replies",
    who: 'agent',
    forms: [
      {
        args: 'list',
        description: 'The canned replies; send one with `/reply 42 :NAME` or `!reply :NAME`',
        who: 'agent',
        toCustomer: false,
      },
      {
        args: 'add NAME TEXT',
        description: 'Add a canned reply, or change it',
        who: 'admin',
        toCustomer: false,
      },
      { args: 'remove NAME', description: 'Remove a canned reply', who: 'admin', toCustomer: false },
    ],
  },
  templates: {
    section: 'team',
    hint: 'list | set NAME [LANG] TEXT | reset NAME [LANG]',
    description: 'The automatic messages to customers, per language (admins edit)',
    who: 'agent',
    forms: [
      {
        args: 'list',
        description:
          'The automatic messages (confirmation, greeting, away, reminder, menu, urgency, requests, norequests, unknown), per language',
        who: 'agent',
        toCustomer: false,
      },
      {
        args: 'set NAME [LANG] TEXT',
        description: 'Change one, for one language or for all',
        who: 'admin',
        toCustomer: false,
      },
      {
        args: 'reset NAME [LANG]',
        description: 'Go back to the built-in text',
        who: 'admin',
        toCustomer: false,
      },
    ],
  },
  intake: {
    section: 'team',
    hint: 'list | add TYPE FIELD [lang:LANG] QUESTION | remove TYPE FIELD',
    description: 'Questions asked after a customer picks a ticket type (INTAKE=menu); admins edit',
    who: 'agent',
    forms: [
      {
        args: 'list',
        description: 'The intake questions, per ticket type and language',
        who: 'agent',
        toCustomer: false,
      },
      {
        args: 'add TYPE FIELD [lang:LANG] QUESTION',
        description:
          'Ask customers who pick TYPE for FIELD (`/intake add billing order_number What is your order number?`); with `lang:de`, the question in that language',
        who: 'admin',
        toCustomer: false,
      },
      {
        args: 'remove TYPE FIELD',
        description: 'Stop asking for FIELD, in every language',
        who: 'admin',
        toCustomer: false,
      },
    ],
  },
  rules: {
    section: 'team',
    hint: 'list | add if keyword:refund then priority:high | remove N',
    description: "Rules that set a new ticket's priority, type, tags or channel (admins edit)",
    who: 'agent',
    forms: [
      {
        args: 'list',
        description: 'The rules, applied in order to new tickets',
        who: 'agent',
        toCustomer: false,
      },
      {
        args: 'add if CONDITIONS then ACTIONS',
        description:
          'Add a rule: `if keyword:refund channel:telegram language:de then priority:high type:question tag:billing slack:C0123`',
        who: 'admin',
        toCustomer: false,
      },
      { args: 'remove N', description: 'Remove rule N', who: 'admin', toCustomer: false },
    ],
  },
  agents: {
    section: 'team',
    hint: 'list | add @user agent|supervisor|admin | remove @user',
    description: 'List agents, or change a role (admins)',
    who: 'agent',
    forms: [
      { args: 'list', description: 'Who works tickets, and their roles', who: 'agent', toCustomer: false },
      {
        args: 'add @user agent|supervisor|admin',
        description: 'Let someone work tickets, or change their role',
        who: 'admin',
        toCustomer: false,
      },
      { args: 'remove @user', description: 'Take access away', who: 'admin', toCustomer: false },
    ],
  },
  apikey: {
    section: 'team',
    hint: 'create NAME [admin] | list | revoke NAME',
    description: 'Keys for the HTTP API (/api/v1): create, list, revoke (admins)',
    who: 'admin',
    forms: [
      {
        args: 'create NAME [admin]',
        description:
          'Create a key for a site or app, shown to you once; `admin` keys may also change tickets',
        who: 'admin',
        toCustomer: false,
      },
      {
        args: 'list',
        description: 'The keys, their roles and when each was last used',
        who: 'admin',
        toCustomer: false,
      },
      {
        args: 'revoke NAME',
        description: 'Revoke a key: requests with it are refused from now on',
        who: 'admin',
        toCustomer: false,
      },
    ],
  },
  webhook: {
    section: 'team',
    hint: 'add URL [EVENTS…] | list | remove ID | test ID',
    description: 'Endpoints told of ticket events, signed per Standard Webhooks (admins)',
    who: 'admin',
    forms: [
      {
        args: 'add URL [EVENTS…]',
        description:
          'Send ticket events (all, or those named) to URL; its signing secret is shown to you once',
        who: 'admin',
        toCustomer: false,
      },
      {
        args: 'list',
        description: 'The endpoints, their events, and which fail or are paused',
        who: 'admin',
        toCustomer: false,
      },
      {
        args: 'remove ID',
        description: 'Stop sending to an endpoint (what waited for it is dropped)',
        who: 'admin',
        toCustomer: false,
      },
      {
        args: 'test ID',
        description: 'Send a signed test event now; a paused endpoint that answers is resumed',
        who: 'admin',
        toCustomer: false,
      },
    ],
  },
  outbox: {
    section: 'team',
    hint: '[retry]',
    description: 'What waits to be delivered and why; retry it now (supervisors)',
    who: 'supervisor',
    forms: [
      {
        args: '',
        description: 'What waits to be delivered, what fails and why',
        who: 'supervisor',
        toCustomer: false,
      },
      {
        args: 'retry',
        description: 'Try everything held back again now',
        who: 'supervisor',
        toCustomer: false,
      },
    ],
  },
} as const satisfies Record<string, SlashCommand>

export type SlashName = keyof typeof SLASH_COMMANDS

/** The command a listener registers for: only a name with a row here compiles. */
export const slashCommand = (name: SlashName): string => `/${name}`

/** The forms of a section's slash commands, for the help. */
export function slashForms(section: Section): Entry[] {
  return Object.entries(SLASH_COMMANDS)
    .filter(([, c]) => c.section === section)
    .flatMap(([name, c]) =>
      c.forms.map((f: Form) => ({ ...f, usage: `\`/${name}${f.args === '' ? '' : ` ${f.args}`}\`` })),
    )
}

/** Every slash command as the app manifest declares it: name (without `/`), usage hint, description. */
export function manifestSlashCommands(): { name: string; hint: string; description: string; who: Role }[] {
  const ticket = TICKET_COMMAND_NAMES.map((name) => {
    const { args, description, who } = TICKET_COMMANDS[name]
    return { name: slashNameOf(name), hint: args === '' ? '42' : `42 ${args}`, description, who }
  })
  const others = Object.entries(SLASH_COMMANDS).map(([name, { hint, description, who }]) => ({
    name,
    hint,
    description,
    who,
  }))
  return [...ticket, ...others]
}

/** What works only in a ticket's thread, besides the ticket commands (`!resolve`, …). */
export const THREAD_ENTRIES: readonly Entry[] = [
  {
    usage: 'a plain reply',
    description:
      'Goes to the customer after the undo window (`REPLY_DELAY_S`): delete or edit it in Slack meanwhile. With `REPLY_MODE=internal` it stays inside',
    who: 'agent',
    toCustomer: true,
  },
  {
    usage: '`:NAME`',
    description: 'The canned reply NAME, sent like a plain reply',
    who: 'agent',
    toCustomer: true,
  },
  {
    usage: '`note: TEXT`',
    description: 'A private note (`private:` and `internal:` work too)',
    who: 'agent',
    toCustomer: false,
  },
  {
    usage: '`@someone TEXT`',
    description: 'Internal chat with colleagues, kept as a note',
    who: 'agent',
    toCustomer: false,
  },
]

/** `!help` in a ticket's thread. */
export const THREAD_HELP: Entry = {
  usage: '`!help`',
  description: 'List what works in the thread',
  who: 'agent',
  toCustomer: false,
}

/** A message shortcut: on any message of a ticket's thread, it acts on that ticket. */
export interface Shortcut {
  /** Its name in Slack's menu, as the app manifest declares it. */
  readonly name: string
  /** Its callback id, as the app manifest declares it. */
  readonly callbackId: string
  /** As the app manifest describes it. */
  readonly description: string
  readonly who: Role
  readonly toCustomer: boolean
}

/** The message shortcuts, by what they do. */
export const SHORTCUTS = {
  resolve: {
    name: 'Resolve ticket',
    callbackId: 'td_resolve_message',
    description: 'Mark the ticket of this thread solved',
    who: 'agent',
    toCustomer: false,
  },
  assign: {
    name: 'Assign ticket…',
    callbackId: 'td_assign_message',
    description: 'Assign the ticket of this thread',
    who: 'agent',
    toCustomer: false,
  },
  note: {
    name: 'Private note…',
    callbackId: 'td_note_message',
    description: 'Add a private note to the ticket of this thread',
    who: 'agent',
    toCustomer: false,
  },
} as const satisfies Record<string, Shortcut>

/** The message shortcuts, for the help. */
export const shortcutEntries = (): Entry[] =>
  Object.values(SHORTCUTS).map(({ name, description, who, toCustomer }) => ({
    usage: `_${name}_`,
    description,
    who,
    toCustomer,
  }))

/** The buttons and pickers on a ticket's root message. */
export const BUTTONS: readonly Entry[] = [
  { usage: '_Assign to me_', description: 'Assign the ticket to yourself', who: 'agent', toCustomer: false },
  { usage: '_Resolve_', description: 'Mark the ticket solved', who: 'agent', toCustomer: false },
  {
    usage: '_Pending_',
    description: 'Set the ticket pending: waiting on the customer',
    who: 'agent',
    toCustomer: false,
  },
  {
    usage: '_Reopen_',
    description: 'Open a solved ticket again (shown instead of the others)',
    who: 'agent',
    toCustomer: false,
  },
  { usage: '_Note_', description: 'Write a private note in a form', who: 'agent', toCustomer: false },
  {
    usage: '_Canned reply_',
    description: 'Pick a canned reply and send it',
    who: 'agent',
    toCustomer: true,
  },
  { usage: '_Priority_', description: "Pick the ticket's priority", who: 'agent', toCustomer: false },
  { usage: '_Type_', description: "Pick the ticket's type", who: 'agent', toCustomer: false },
]
