import { ensureAgent } from '../db/repos/agents.js'
import { enqueueDelivery } from '../db/repos/deliveries.js'
import { historyOf, recordEvent } from '../db/repos/events.js'
import { addTag, removeTag, tagsOf } from '../db/repos/ticket-tags.js'
import { setTicketField, touchTicket } from '../db/repos/tickets.js'
import type { Ticket } from '../db/schema.js'
import { DeskError } from './errors.js'
import type { Actor } from './actor.js'
import { PRIORITIES, type Priority } from './model.js'
import { createWork, type Origin, type WorkDeps } from './work.js'
import { emitTicketEvent } from './webhook-events.js'

export const DEFAULT_TICKET_TYPES = ['incident', 'problem', 'question', 'task'] as const

const TAG = /^[a-z0-9][a-z0-9_-]{0,31}$/
const TOPIC_MAX = 100

export interface FieldsDeps extends WorkDeps {
  /** The ticket types agents may choose from. */
  readonly types: readonly string[]
}

/** One line of a ticket's audit log, with the desk user id of the agent who acted. */
export interface HistoryLine {
  readonly at: Date
  readonly actor: 'customer' | 'agent' | 'system'
  readonly agent: string | null
  readonly action: string
  readonly from: string | null
  readonly to: string | null
}

export type TicketFields = ReturnType<typeof createTicketFields>

/** A priority as given (any case), or `invalid` naming the ones there are. */
export function checkPriority(value: string): Priority {
  const priority = value.trim().toLowerCase()
  if (!PRIORITIES.includes(priority as Priority))
    throw new DeskError('invalid', `\`${value}\` is not a priority; choose ${PRIORITIES.join(', ')}.`)
  return priority as Priority
}

/** Throws `invalid` for the first of `tags` that is not a tag. */
export function checkTags(tags: readonly string[]): void {
  const bad = tags.find((t) => !TAG.test(t))
  if (bad !== undefined)
    throw new DeskError(
      'invalid',
      `\`${bad}\` is not a tag: use lowercase letters, digits, - and _, at most 32.`,
    )
}

/** What a ticket is besides its conversation: priority, type, topic and tags; and its history. */
export function createTicketFields(deps: FieldsDeps) {
  const { db } = deps
  const { inTransaction, claimOnce, requireTicket } = createWork(deps)

  async function change(
    actor: Actor,
    ticketId: number,
    field: 'priority' | 'type' | 'topic',
    value: string | null,
    origin: Origin | undefined,
  ): Promise<string> {
    return inTransaction(async (tx, now) => {
      await claimOnce(tx, origin, now)
      const ticket = await requireTicket(tx, ticketId)
      assertOpen(ticket)
      const before = ticket[field]
      if (before === value)
        throw new DeskError('conflict', `Ticket #${ticket.id} already has ${field} ${value ?? 'unset'}.`)
      const agent = await ensureAgent(tx, actor.deskUserId, now)
      await setTicketField(tx, ticket.id, field, value, now)
      await recordEvent(
        tx,
        { ticketId, actor: 'agent', agentId: agent.id, action: field, from: before, to: value },
        now,
      )
      await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
      if (field === 'priority') {
        const changes = { priority: { from: before, to: value } }
        await emitTicketEvent(tx, 'ticket.updated', ticket.id, now, { changes })
      }
      return value === null
        ? `Ticket #${ticket.id} has no ${field} now.`
        : `Ticket #${ticket.id} ${field} is now ${value}.`
    })
  }

  return {
    async setPriority(actor: Actor, ticketId: number, value: string, origin?: Origin): Promise<string> {
      return change(actor, ticketId, 'priority', checkPriority(value), origin)
    },

    async setType(actor: Actor, ticketId: number, value: string, origin?: Origin): Promise<string> {
      const type = value.trim().toLowerCase()
      if (!deps.types.includes(type)) {
        throw new DeskError('invalid', `\`${value}\` is not a ticket type; choose ${deps.types.join(', ')}.`)
      }
      return change(actor, ticketId, 'type', type, origin)
    },

    async setTopic(actor: Actor, ticketId: number, text: string, origin?: Origin): Promise<string> {
      const topic = text.trim()
      if (topic.length > TOPIC_MAX)
        throw new DeskError('invalid', `A topic has at most ${TOPIC_MAX} characters.`)
      return change(actor, ticketId, 'topic', topic === '' ? null : topic, origin)
    },

    /** Adds and removes tags (lowercase letters, digits, `-` and `_`). */
    async tag(
      actor: Actor,
      ticketId: number,
      add: readonly string[],
      remove: readonly string[],
      origin?: Origin,
    ) {
      checkTags([...add, ...remove])
      if (add.length + remove.length === 0)
        throw new DeskError('invalid', 'Name the tags to add (+tag) or remove (-tag).')
      return inTransaction(async (tx, now) => {
        await claimOnce(tx, origin, now)
        const ticket = await requireTicket(tx, ticketId)
        assertOpen(ticket)
        const agent = await ensureAgent(tx, actor.deskUserId, now)
        const changed: string[] = []
        for (const tag of add) {
          if (await addTag(tx, ticket.id, tag)) {
            changed.push(`+${tag}`)
            await recordEvent(
              tx,
              { ticketId, actor: 'agent', agentId: agent.id, action: 'tag', to: tag },
              now,
            )
          }
        }
        for (const tag of remove) {
          if (await removeTag(tx, ticket.id, tag)) {
            changed.push(`-${tag}`)
            await recordEvent(
              tx,
              { ticketId, actor: 'agent', agentId: agent.id, action: 'tag', from: tag },
              now,
            )
          }
        }
        if (changed.length === 0)
          throw new DeskError('conflict', `Ticket #${ticket.id} already has those tags.`)
        await touchTicket(tx, ticket.id, now)
        await enqueueDelivery(tx, ticket.id, { type: 'desk.update' }, now)
        return `Ticket #${ticket.id} tags: ${changed.join(' ')}.`
      })
    },

    tagsOf: (ticketId: number): Promise<string[]> => tagsOf(db, ticketId),

    /** The ticket's audit log, oldest first. */
    async history(ticketId: number): Promise<HistoryLine[]> {
      await requireTicket(db, ticketId)
      const rows = await historyOf(db, ticketId)
      return rows.map((r) => ({
        at: new Date(r.created_at),
        actor: r.actor_type,
        agent: r.desk_user_id,
        action: r.action,
        from: r.from_value,
        to: r.to_value,
      }))
    },
  }
}

function assertOpen(ticket: Ticket): void {
  if (ticket.status === 'closed')
    throw new DeskError('conflict', `Ticket #${ticket.id} is closed and cannot change.`)
}
