import type { Db } from '../db/connection.js'
import { markProcessed } from '../db/repos/processed-events.js'
import { findTicket } from '../db/repos/tickets.js'
import type { Ticket } from '../db/schema.js'
import { iso, type Clock } from './clock.js'
import { DeskError } from './errors.js'

/** Where an agent's action came from, so redeliveries are recognised and thread echoes avoided. */
export interface Origin {
  /** A unique id of the platform event that carried the action (Slack's event id); a repeat is ignored. */
  readonly eventKey?: string
  /** The thread message that is the action itself (a plain reply or note): no echo is posted. */
  readonly deskTs?: string
}

export interface WorkDeps {
  readonly db: Db
  readonly clock: Clock
  /** Called after a transaction queued deliveries, so the outbox can start at once. */
  readonly onQueued?: () => void
}

/** The pieces every core operation is made of: one transaction, at most once, on an existing ticket. */
export type Work = ReturnType<typeof createWork>

export function createWork(deps: WorkDeps) {
  return {
    /** Runs `work` in one transaction with the current time; wakes the outbox afterwards. */
    inTransaction: async <T>(work: (tx: Db, now: string) => Promise<T>): Promise<T> => {
      const result = await deps.db.transaction().execute((tx) => work(tx, iso(deps.clock.now())))
      deps.onQueued?.()
      return result
    },

    /** Throws DeskError `duplicate` when the platform event behind `origin` was handled before. */
    claimOnce: async (tx: Db, origin: Origin | undefined, now: string): Promise<void> => {
      if (origin?.eventKey === undefined) return
      if (!(await markProcessed(tx, 'desk', origin.eventKey, now))) {
        throw new DeskError('duplicate', 'This event was already handled.')
      }
    },

    requireTicket: async (tx: Db, id: number): Promise<Ticket> => {
      const ticket = await findTicket(tx, id)
      if (ticket === undefined) throw new DeskError('not_found', `Ticket #${id} does not exist.`)
      return ticket
    },
  }
}
