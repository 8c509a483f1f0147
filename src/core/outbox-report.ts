import type { Db } from '../db/connection.js'
import { heldDeliveries, queueByService, retryHeldNow } from '../db/repos/deliveries.js'
import { iso, type Clock } from './clock.js'
import { DeskError } from './errors.js'
import { atLeast } from './agents.js'
import type { OutboxState } from './outbox-state.js'
import type { Actor } from './actor.js'

/** What the outbox holds, for supervisors: facts, which the desk puts into words. */
export interface OutboxReport {
  readonly queues: readonly { service: string; queued: number; oldestAgeS: number }[]
  readonly failing: readonly { target: string; since: Date; reason: string }[]
  readonly held: readonly {
    delivery: number
    ticket: number | null
    kind: string
    attempts: number
    nextAttemptAt: Date
    reason: string | null
  }[]
}

export interface OutboxControl {
  /** What waits and why; supervisors only. */
  report(actor: Actor): Promise<OutboxReport>
  /** Makes every held delivery due now; supervisors only. Returns how many. */
  retryNow(actor: Actor): Promise<number>
}

/** `/outbox` for supervisors: the queue, the targets failing now, the rows held back. */
export function createOutboxControl(deps: {
  db: Db
  clock: Clock
  /** What the outbox knows in memory: failing targets, and the waits to forget. */
  state: Pick<OutboxState, 'failingTargets' | 'forgetWaits'>
}): OutboxControl {
  const { db, clock } = deps

  async function requireSupervisor(actor: Actor): Promise<void> {
    if (!(await atLeast(db, actor.deskUserId, 'supervisor'))) {
      throw new DeskError('forbidden', 'Only supervisors and admins see and retry the outbox.')
    }
  }

  return {
    async report(actor) {
      await requireSupervisor(actor)
      const [queues, held] = await Promise.all([queueByService(db, iso(clock.now())), heldDeliveries(db, 10)])
      return {
        queues,
        failing: deps.state.failingTargets(),
        held: held.map((d) => ({
          delivery: d.id,
          ticket: d.ticket_id,
          kind: d.kind,
          attempts: d.attempts,
          nextAttemptAt: new Date(d.next_attempt_at),
          reason: d.last_error,
        })),
      }
    },

    async retryNow(actor) {
      await requireSupervisor(actor)
      const count = await retryHeldNow(db, iso(clock.now()))
      deps.state.forgetWaits()
      return count
    },
  }
}
