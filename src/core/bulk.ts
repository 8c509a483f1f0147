import { personRef } from './person-ref.js'
import type { Db } from '../db/connection.js'
import { ensureAgent } from '../db/repos/agents.js'
import { iso, type Clock } from './clock.js'
import { DeskError, isDeskError } from './errors.js'
import type { Actor } from './actor.js'
import type { Channel } from './model.js'
import type { HelpDesk } from './helpdesk.js'
import { checkPriority, checkTags, type TicketFields } from './ticket-fields.js'
import { countTickets, parseFilter, ticketIdsOf } from './ticket-query.js'

/** Most tickets one bulk action changes; a larger selection is done in several runs. */
export const BULK_LIMIT = 500

export type BulkAction = 'resolve' | 'assign' | 'tag' | 'priority'

/** A bulk action as an agent wrote it: what to do, with what, to which tickets. */
export interface BulkSpec {
  readonly action: BulkAction
  /** The assignee (desk user id), tag or priority. */
  readonly arg?: string
  /** The filters, as /tickets reads them. */
  readonly filter: string
}

const ACTIONS: readonly BulkAction[] = ['resolve', 'assign', 'tag', 'priority']
export const BULK_USAGE =
  'Usage: `/tickets bulk resolve [filters]`, `/tickets bulk assign @user [filters]`, `/tickets bulk tag TAG [filters]` or `/tickets bulk priority P [filters]`.'

/** Reads `resolve status:pending tag:spam`, `assign <@U1> channel:discord`, … */
export function parseBulk(text: string): BulkSpec {
  const [action = '', ...rest] = text.trim().split(/\s+/)
  if (!ACTIONS.includes(action as BulkAction))
    throw new DeskError('invalid', `\`${action}\` is not a bulk action. ${BULK_USAGE}`)
  if (action === 'resolve') return { action: 'resolve', filter: rest.join(' ') }
  const [arg, ...filter] = rest
  if (arg === undefined || arg.includes(':'))
    throw new DeskError('invalid', `Say what to ${action} with. ${BULK_USAGE}`)
  const user = personRef(arg)
  if (action === 'assign' && user === undefined)
    throw new DeskError('invalid', `\`${arg}\` is not a linked @mention. ${BULK_USAGE}`)
  return { action: action as BulkAction, arg: user ?? arg.toLowerCase(), filter: filter.join(' ') }
}

/** What a bulk run did; the desk words it. */
export interface BulkResult {
  /** How many tickets changed. */
  readonly done: number
  /** Tickets left as they were (already solved, closed…), and why. */
  readonly skipped: readonly { readonly ticketId: number; readonly why: DeskError }[]
  /** More tickets matched than one run changes (BULK_LIMIT): running it again does the rest. */
  readonly more: boolean
}

export type Bulk = ReturnType<typeof createBulk>

/** Bulk work for supervisors and admins: count first, confirm, then change each ticket in turn. */
export function createBulk(deps: {
  db: Db
  clock: Clock
  helpdesk: HelpDesk
  fields: TicketFields
  /** The registered channels a filter may name. */
  channels: readonly Channel[]
}) {
  const { db, clock, helpdesk, fields, channels } = deps

  async function requireSupervisor(actor: Actor): Promise<void> {
    const agent = await ensureAgent(db, actor.deskUserId, iso(clock.now()))
    if (agent.role === 'agent') throw new DeskError('forbidden', 'Only supervisors and admins do bulk work.')
  }

  return {
    /** How many tickets the action would touch, checked before anything changes. */
    async preview(actor: Actor, spec: BulkSpec): Promise<number> {
      await requireSupervisor(actor)
      // What the action names is checked before a Confirm is offered, not at the first ticket.
      if (spec.action === 'assign') await helpdesk.checkAssignee(spec.arg ?? '')
      if (spec.action === 'priority') checkPriority(spec.arg ?? '')
      if (spec.action === 'tag') checkTags([spec.arg ?? ''])
      return countTickets(db, parseFilter(spec.filter, actor.deskUserId, channels), clock.now())
    },

    /** Applies the action to each selected ticket (newest first, at most BULK_LIMIT); reports what happened. */
    async apply(actor: Actor, spec: BulkSpec): Promise<BulkResult> {
      await requireSupervisor(actor)
      const filter = parseFilter(spec.filter, actor.deskUserId, channels)
      const { ids, more } = await ticketIdsOf(db, filter, clock.now(), BULK_LIMIT)
      let done = 0
      const skipped: { ticketId: number; why: DeskError }[] = []
      for (const id of ids) {
        try {
          if (spec.action === 'resolve') await helpdesk.setStatus(actor, id, 'solved')
          else if (spec.action === 'assign') await helpdesk.assign(actor, id, spec.arg ?? '')
          else if (spec.action === 'tag') await fields.tag(actor, id, [spec.arg ?? ''], [])
          else await fields.setPriority(actor, id, spec.arg ?? '')
          done += 1
        } catch (error) {
          // One ticket that cannot change (already solved, closed) does not stop the others.
          if (!isDeskError(error) || error.code === 'invalid' || error.code === 'forbidden') throw error
          skipped.push({ ticketId: id, why: error })
        }
      }
      return { done, skipped, more }
    },
  }
}
