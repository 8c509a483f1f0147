import { inSavepoint, TransactionLost, type Db } from '../db/connection.js'
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

/** One caller's work waiting for the next shared transaction. */
interface Waiting {
  readonly work: (tx: Db, now: string) => Promise<unknown>
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
}

export function createWork(deps: WorkDeps) {
  let waiting: Waiting[] = []
  let flushing = false

  /**
   * Runs everything waiting in one transaction, each caller's work in its own savepoint: one that
   * fails is undone alone and hears its error; the others are answered once the whole commits.
   */
  async function flush(): Promise<void> {
    let batch: Waiting[] | undefined
    const take = (): Waiting[] => {
      batch = waiting
      waiting = []
      flushing = false
      return batch
    }
    const outcomes = new Map<Waiting, { ok: true; value: unknown } | { ok: false; error: unknown }>()
    try {
      await deps.db.transaction().execute(async (tx) => {
        // Taken once the connection is ours: whatever arrived while waiting for it rides along.
        const now = iso(deps.clock.now())
        const items = take()
        const alone = items[0]
        if (items.length === 1 && alone !== undefined) {
          // Alone, it needs no savepoint: its error undoes the transaction, which is only its own.
          outcomes.set(alone, { ok: true, value: await alone.work(tx, now) })
          return
        }
        for (const item of items) {
          try {
            outcomes.set(item, { ok: true, value: await inSavepoint(tx, () => item.work(tx, now)) })
          } catch (error) {
            // Its error ended the transaction: nobody's work is kept, and all hear that error.
            if (error instanceof TransactionLost) throw error.cause
            outcomes.set(item, { ok: false, error })
          }
        }
      })
    } catch (error) {
      // The transaction failed (to begin, or to commit): nobody's work was kept.
      for (const item of batch ?? take()) outcomes.set(item, { ok: false, error })
    }
    deps.onQueued?.()
    for (const item of batch ?? []) {
      const outcome = outcomes.get(item)
      if (outcome?.ok === true) item.resolve(outcome.value)
      else item.reject(outcome?.error)
    }
  }

  return {
    /** Runs `work` in one transaction with the current time; wakes the outbox afterwards. */
    inTransaction: async <T>(work: (tx: Db, now: string) => Promise<T>): Promise<T> => {
      const result = await deps.db.transaction().execute((tx) => work(tx, iso(deps.clock.now())))
      deps.onQueued?.()
      return result
    },

    /**
     * Like `inTransaction`, but shares the transaction with the other calls made while the
     * connection is busy (group commit): a burst of customer messages costs one commit, and each
     * caller is answered only after the commit that holds its work.
     */
    inSharedTransaction: <T>(work: (tx: Db, now: string) => Promise<T>): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        waiting.push({ work, resolve: resolve as (value: unknown) => void, reject })
        if (flushing) return
        flushing = true
        setImmediate(() => void flush())
      }),

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
