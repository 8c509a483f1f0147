import type { Db } from '../db/connection.js'
import { ensureAgent } from '../db/repos/agents.js'
import { recordEvent } from '../db/repos/events.js'
import { addRule, allRules, removeRule } from '../db/repos/ticket-rules.js'
import { addTag } from '../db/repos/ticket-tags.js'
import { classifyTicket } from '../db/repos/tickets.js'
import type { Ticket } from '../db/schema.js'
import { DeskError } from './errors.js'
import type { Actor } from './actor.js'
import { PRIORITIES, type Channel, type Priority } from './model.js'
import { createWork, type WorkDeps } from './work.js'

export interface RuleConditions {
  /** Found, in any case, in the ticket's first message. */
  readonly keyword?: string
  readonly channel?: Channel
  /** The customer's language as the platform reports it (base language matches too). */
  readonly language?: string
}

export interface RuleActions {
  readonly priority?: Priority
  readonly type?: string
  readonly tags?: readonly string[]
  /** The Slack channel the ticket's thread opens in, instead of the support channel. */
  readonly slackChannel?: string
}

export interface Rule {
  readonly id: number
  readonly conditions: RuleConditions
  readonly actions: RuleActions
}

export const RULE_USAGE =
  'Write a rule as `if keyword:refund channel:telegram language:de then priority:high type:question tag:billing slack:C0123`.'

/** Reads `if … then …`; throws a DeskError that says what is wrong. */
export function parseRule(
  text: string,
  types: readonly string[],
  channels: readonly Channel[],
): { conditions: RuleConditions; actions: RuleActions } {
  const match = /^if\s+(.+?)\s+then\s+(.+)$/i.exec(text.trim())
  if (match === null) throw new DeskError('invalid', RULE_USAGE)
  const conditions: { -readonly [K in keyof RuleConditions]: RuleConditions[K] } = {}
  const actions: { -readonly [K in keyof RuleActions]: RuleActions[K] } = {}
  const bad = (why: string) => new DeskError('invalid', `${why} ${RULE_USAGE}`)
  for (const token of (match[1] ?? '').split(/\s+/)) {
    const [key = '', value = ''] = token.split(/:(.*)/s)
    if (key === 'keyword' && value !== '') conditions.keyword = value.toLowerCase()
    else if (key === 'channel' && channels.includes(value)) conditions.channel = value
    else if (key === 'language' && /^[a-z]{2,3}(-[a-z]{2})?$/i.test(value))
      conditions.language = value.toLowerCase()
    else throw bad(`\`${token}\` is not a condition.`)
  }
  for (const token of (match[2] ?? '').split(/\s+/)) {
    const [key = '', value = ''] = token.split(/:(.*)/s)
    if (key === 'priority' && PRIORITIES.includes(value as Priority)) actions.priority = value as Priority
    else if (key === 'type' && types.includes(value)) actions.type = value
    else if (key === 'tag' && /^[a-z0-9][a-z0-9_-]{0,31}$/.test(value))
      actions.tags = [...(actions.tags ?? []), value]
    else if (key === 'slack' && deskChannelId(value) !== undefined)
      actions.slackChannel = deskChannelId(value)!
    else throw bad(`\`${token}\` is not an action.`)
  }
  return { conditions, actions }
}

/**
 * A channel as typed in a rule: a bare id (`C0123`), or the mention Slack sends when someone typed
 * `#billing` (`<#C0123|billing>`), which is also how /rules list shows it, so a listed rule pastes back.
 */
function deskChannelId(value: string): string | undefined {
  return /^(?:<#)?([CG][A-Z0-9]+)(?:\|[^>]*)?(?:>)?$/.exec(value)?.[1]
}

/** Whether a rule's conditions all hold for a new ticket's first message. */
export function ruleMatches(
  c: RuleConditions,
  first: { text: string; channel: Channel; language: string | null },
): boolean {
  const language = first.language?.toLowerCase() ?? null
  return (
    (c.keyword === undefined || first.text.toLowerCase().includes(c.keyword)) &&
    (c.channel === undefined || c.channel === first.channel) &&
    (c.language === undefined ||
      (language !== null && (language === c.language || language.split('-')[0] === c.language)))
  )
}

/** Applies every matching rule, in the order they were added, to a ticket just opened. */
export async function applyRules(
  tx: Db,
  ticket: Ticket,
  first: { text: string; channel: Channel; language: string | null },
  now: string,
): Promise<void> {
  const rules = await allRules(tx)
  for (const row of rules) {
    const rule = {
      id: row.id,
      conditions: JSON.parse(row.conditions) as RuleConditions,
      actions: JSON.parse(row.actions) as RuleActions,
    }
    if (!ruleMatches(rule.conditions, first)) continue
    const { priority, type, slackChannel, tags } = rule.actions
    await classifyTicket(tx, ticket.id, {
      ...(priority !== undefined && { priority }),
      ...(type !== undefined && { type }),
      ...(slackChannel !== undefined && { desk_channel: slackChannel }),
    })
    for (const tag of tags ?? []) await addTag(tx, ticket.id, tag)
    await recordEvent(
      tx,
      { ticketId: ticket.id, actor: 'system', action: 'rule', to: describeRule(rule) },
      now,
    )
  }
}

export function describeRule(rule: Rule): string {
  const c = rule.conditions
  const a = rule.actions
  const when = [
    c.keyword && `keyword:${c.keyword}`,
    c.channel && `channel:${c.channel}`,
    c.language && `language:${c.language}`,
  ]
  const then = [
    a.priority && `priority:${a.priority}`,
    a.type && `type:${a.type}`,
    ...(a.tags ?? []).map((t) => `tag:${t}`),
    a.slackChannel && `slack:<#${a.slackChannel}>`,
  ]
  return `#${rule.id} if ${when.filter(Boolean).join(' ')} then ${then.filter(Boolean).join(' ')}`
}

export type Rules = ReturnType<typeof createRules>

/** The creation rules, kept by admins. */
export function createRules(
  deps: WorkDeps & { readonly types: readonly string[]; readonly channels: readonly Channel[] },
) {
  const { inTransaction } = createWork(deps)
  const requireAdmin = async (tx: Db, actor: Actor, now: string) => {
    const agent = await ensureAgent(tx, actor.deskUserId, now)
    if (agent.role !== 'admin') throw new DeskError('forbidden', 'Only admins change the rules.')
  }
  return {
    async add(actor: Actor, text: string): Promise<string> {
      const { conditions, actions } = parseRule(text, deps.types, deps.channels)
      return inTransaction(async (tx, now) => {
        await requireAdmin(tx, actor, now)
        const id = await addRule(
          tx,
          { conditions: JSON.stringify(conditions), actions: JSON.stringify(actions) },
          now,
        )
        return `Rule saved: ${describeRule({ id, conditions, actions })}`
      })
    },
    async remove(actor: Actor, id: number): Promise<string> {
      return inTransaction(async (tx, now) => {
        await requireAdmin(tx, actor, now)
        if (!(await removeRule(tx, id))) throw new DeskError('not_found', `There is no rule #${id}.`)
        return `Rule #${id} removed.`
      })
    },
    async list(): Promise<string[]> {
      const rows = await allRules(deps.db)
      return rows.map((r) =>
        describeRule({
          id: r.id,
          conditions: JSON.parse(r.conditions) as RuleConditions,
          actions: JSON.parse(r.actions) as RuleActions,
        }),
      )
    },
  }
}
