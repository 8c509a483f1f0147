/**
 * Whether this process is the one, among the processes sharing a database, that does what must be
 * done once: run the scheduled jobs, poll Telegram. One process on SQLite always is.
 */
export interface Leadership {
  /** True while this process holds it. */
  held(): boolean
  /** Calls `fn` with the current state now and whenever it changes; returns a function that stops it. */
  watch(fn: (held: boolean) => void): () => void
}

/** The leadership of a process that is alone on its database. */
export const soleLeadership: Leadership = {
  held: () => true,
  watch(fn) {
    fn(true)
    return () => undefined
  },
}
