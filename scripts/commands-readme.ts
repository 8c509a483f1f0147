import { format, resolveConfig } from 'prettier'
import {
  BUTTONS,
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
} from '../adapters/slack/command-table.js'

/**
 * README's command tables, made from the command table (adapters/slack/command-table.ts): the block
 * between the markers below is rewritten by `npm run docs:commands`, and a test fails while it
 * differs from what the table makes.
 */

export const START = '<!-- commands:start -->'
export const END = '<!-- commands:end -->'

const WHO: Record<Role, string> = { agent: 'any agent', supervisor: 'supervisors, admins', admin: 'admins' }

/** A table row; a `|` inside a cell, even in code, must be escaped in GitHub's tables. */
const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`

const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n')

const reaches = (e: { readonly toCustomer: boolean }) => (e.toCustomer ? '**yes**' : 'no')

const HEAD = ['what', 'what it does', 'who', 'reaches the customer']
const entryRow = (e: Entry) => [e.usage, e.description, WHO[e.who], reaches(e)]
const sectionTable = (section: Section) => table(HEAD, slashForms(section).map(entryRow))

function threadTable(): string {
  const controls = [
    ...shortcutEntries().map((e) => ({ ...e, usage: `shortcut ${e.usage}` })),
    ...BUTTONS.map((e) => ({ ...e, usage: `button ${e.usage}` })),
  ]
  return table(HEAD, [...THREAD_ENTRIES, THREAD_HELP, ...controls].map(entryRow))
}

function ticketTable(): string {
  const commands = TICKET_COMMAND_NAMES.map((name) => {
    const c = TICKET_COMMANDS[name]
    return [
      `\`${usageOf(name, 'thread')}\``,
      `\`${usageOf(name, 'slash')}\``,
      c.description,
      WHO[c.who],
      reaches(c),
    ]
  })
  const anywhere = slashForms('ticket').map((e) => ['', e.usage, e.description, WHO[e.who], reaches(e)])
  return table(
    ['in the thread', 'anywhere', 'what it does', 'who', 'reaches the customer'],
    [...commands, ...anywhere],
  )
}

/** The block's Markdown, without the markers. */
export function commandsMarkdown(): string {
  return [
    '<!-- Made from adapters/slack/command-table.ts by `npm run docs:commands`: change the table, then run it. -->',
    "**In a ticket's thread** (the thread says which ticket; shortcuts work on any of its messages, buttons are on its root message):",
    threadTable(),
    '**Ticket commands**, in the thread or anywhere with the ticket number (answered only to you):',
    ticketTable(),
    '**Lists**:',
    sectionTable('lists'),
    '**The team**:',
    sectionTable('team'),
  ].join('\n\n')
}

/** README with its command block made anew and the whole file formatted as Prettier would. */
export async function withCommands(readme: string, file: string): Promise<string> {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) throw new Error(`${file} has no ${START} … ${END} block for the commands`)
  const text = `${readme.slice(0, start)}${START}\n\n${commandsMarkdown()}\n\n${readme.slice(end)}`
  return format(text, { ...(await resolveConfig(file)), filepath: file })
}
