import type { HomePublisher } from '../../../adapters/slack/home-publisher.js'
import type { App } from '@slack/bolt'
import { describe, expect, it } from 'vitest'
import { helpText } from '../../../adapters/slack/command-help.js'
import {
  manifestSlashCommands,
  SHORTCUTS,
  TICKET_COMMAND_NAMES,
  TICKET_COMMANDS,
  usageOf,
} from '../../../adapters/slack/command-table.js'
import { registerListeners, type ListenerDeps } from '../../../adapters/slack/listeners.js'

/**
 * Slack's built-in slash commands, with their other spellings (Slack help: "Use built-in slash
 * commands"). They take precedence over an app's: a command of ours by one of these names is never
 * called.
 */
const SLACK_BUILT_IN = [
  'active',
  'apps',
  'archive',
  'away',
  'call',
  'close',
  'collapse',
  'dm',
  'dnd',
  'expand',
  'feed',
  'feedback',
  'invite',
  'invite_people',
  'join',
  'keys',
  'kick',
  'leave',
  'me',
  'msg',
  'mute',
  'open',
  'part',
  'prefs',
  'pro',
  'remind',
  'remove',
  'rename',
  's',
  'search',
  'shortcuts',
  'shrug',
  'star',
  'status',
  'topic',
  'who',
]

/** What the desk registers with Bolt, read by running the real registration against a recorder. */
function registered(): { commands: (string | RegExp)[]; shortcuts: (string | RegExp)[] } {
  const commands: (string | RegExp)[] = []
  const shortcuts: (string | RegExp)[] = []
  const record =
    (into: (string | RegExp)[]) =>
    (matcher: string | RegExp): void => {
      into.push(matcher)
    }
  const app = new Proxy(
    {},
    {
      get: (_target, key) =>
        key === 'command' ? record(commands) : key === 'shortcut' ? record(shortcuts) : () => undefined,
    },
  ) as App
  // Registration only wires listeners; none of the services is used until an event arrives.
  registerListeners(app, {} as ListenerDeps, {} as HomePublisher)
  return { commands, shortcuts }
}

const matches = (matcher: string | RegExp, name: string) =>
  typeof matcher === 'string' ? matcher === name : matcher.test(name)

describe('the command table', () => {
  const slashNames = manifestSlashCommands().map((c) => c.name)

  it('names no slash command after one of Slack’s built-ins, and none twice', () => {
    expect(slashNames.filter((name) => SLACK_BUILT_IN.includes(name))).toEqual([])
    expect(new Set(slashNames).size).toBe(slashNames.length)
    for (const name of slashNames) expect(name).toMatch(/^[a-z0-9_-]{1,32}$/)
  })

  it('has a row for every slash command and shortcut the desk registers, and registers every row', () => {
    const { commands, shortcuts } = registered()
    for (const name of slashNames) {
      expect(
        commands.filter((m) => matches(m, `/${name}`)),
        `/${name}`,
      ).toHaveLength(1)
    }
    for (const matcher of commands) {
      expect(
        slashNames.filter((name) => matches(matcher, `/${name}`)),
        String(matcher),
      ).not.toHaveLength(0)
    }
    expect(shortcuts.toSorted()).toEqual(
      Object.values(SHORTCUTS)
        .map((s) => s.callbackId)
        .toSorted(),
    )
  })
})

describe('the help', () => {
  const slash = helpText('slash')
  const thread = helpText('thread')
  const lineOf = (text: string, usage: string) => text.split('\n').find((l) => l.startsWith(`• \`${usage}\``))

  it('/ticket help lists every slash command, the thread’s ways in, shortcuts and buttons', () => {
    for (const { name } of manifestSlashCommands()) expect(slash).toContain(`\`/${name}`)
    expect(slash).toContain('`/tickets bulk resolve [filters]`')
    expect(slash).toContain('`/settopic 42 TEXT`')
    expect(slash).not.toContain('/topic')
    for (const words of [
      'a plain reply',
      '`:NAME`',
      '`note: TEXT`',
      '`!help`',
      '_Resolve ticket_',
      '_Canned reply_',
    ])
      expect(slash).toContain(words)
  })

  it('!help lists every thread command and does not say commands are never sent', () => {
    for (const name of TICKET_COMMAND_NAMES) expect(lineOf(thread, usageOf(name, 'thread'))).toBeDefined()
    expect(thread).toContain('`/ticket help`')
    expect(thread).not.toMatch(/never sent/i)
  })

  it('marks exactly the commands that reach the customer', () => {
    for (const name of TICKET_COMMAND_NAMES) {
      for (const [text, door] of [
        [slash, 'slash'],
        [thread, 'thread'],
      ] as const) {
        const line = lineOf(text, usageOf(name, door))
        expect(line?.includes('sends to the customer'), line).toBe(TICKET_COMMANDS[name].toCustomer)
      }
    }
    expect(lineOf(thread, '!reply TEXT|:CANNED')).toContain('*sends to the customer*')
    expect(lineOf(thread, '!note TEXT')).not.toContain('sends to the customer')
  })
})
