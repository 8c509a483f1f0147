import {
  BUTTONS,
  type Door,
  type Entry,
  type Role,
  type Section,
  shortcutEntries,
  slashForms,
  THREAD_ENTRIES,
  THREAD_HELP,
  TICKET_COMMAND_NAMES,
  TICKET_COMMANDS,
  usageOf,
} from './command-table.js'

/**
 * `/ticket help` and `!help`, made from the command table (command-table.ts), so they list every
 * way in there is and cannot forget one. Slack mrkdwn, one bullet a line; whatever makes the
 * customer receive something says so.
 */

const SENDS = '*sends to the customer*'
const ROLE: Record<Role, string> = { agent: '', supervisor: ' _(supervisors)_', admin: ' _(admins)_' }
const INTRO = `What is marked ${SENDS} reaches the customer; nothing else leaves Slack.`

const line = (e: Entry): string =>
  `• ${e.usage} — ${e.description}${ROLE[e.who]}${e.toCustomer ? ` · ${SENDS}` : ''}`

const ticketCommandLines = (door: Door): string[] =>
  TICKET_COMMAND_NAMES.map((name) => line({ ...TICKET_COMMANDS[name], usage: `\`${usageOf(name, door)}\`` }))

const sectionLines = (section: Section): string[] => slashForms(section).map(line)

/** The shortcuts and buttons by name, one line each: found on the message, they explain themselves. */
function controlLines(): string[] {
  const names = (entries: readonly Entry[]) =>
    entries.map((e) => (e.toCustomer ? `${e.usage} (${SENDS})` : e.usage)).join(', ')
  return [
    `• message shortcuts, on any message of the thread: ${names(shortcutEntries())}`,
    `• on the root message: ${names(BUTTONS)}`,
  ]
}

/** `!help`: everything that works in a ticket's thread, and where the rest is. */
function threadHelp(): string {
  return [
    `*In a ticket's thread.* ${INTRO}`,
    ...THREAD_ENTRIES.map(line),
    ...ticketCommandLines('thread'),
    line(THREAD_HELP),
    ...controlLines(),
    'The same commands work anywhere with the ticket number (`/resolve 42`), beside the lists and the team settings: `/ticket help` shows them all.',
  ].join('\n')
}

/** `/ticket help`: every command, grouped by what it is about. */
function slashHelp(): string {
  return [
    `*Every threaddesk command.* Answers are shown only to you; 42 stands for a ticket number. ${INTRO}`,
    '',
    '*A ticket, from anywhere* (in its thread, the same without the number: `!resolve`, `!assign @user`)',
    ...ticketCommandLines('slash'),
    ...sectionLines('ticket'),
    '',
    "*In a ticket's thread*",
    ...THREAD_ENTRIES.map(line),
    line(THREAD_HELP),
    ...controlLines(),
    '',
    '*Lists*',
    ...sectionLines('lists'),
    '',
    '*The team*',
    ...sectionLines('team'),
  ].join('\n')
}

/** The help for the door it was asked at. */
export const helpText = (door: Door): string => (door === 'thread' ? threadHelp() : slashHelp())
