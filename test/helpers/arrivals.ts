/**
 * A list that grows as things arrive, and says when it has grown: a test awaits `reach(n)` and goes
 * on the moment the nth thing is pushed, instead of polling on the wall clock.
 */
export function arrivals<T>() {
  const items: T[] = []
  const waiting: { count: number; resolve: () => void }[] = []
  return {
    /** What arrived so far, oldest first. */
    items: items as readonly T[],
    push(item: T): void {
      items.push(item)
      for (const w of waiting.filter((w) => items.length >= w.count)) {
        waiting.splice(waiting.indexOf(w), 1)
        w.resolve()
      }
    },
    /** Resolves once `count` things have arrived (at once if they have). */
    reach(count: number): Promise<void> {
      if (items.length >= count) return Promise.resolve()
      return new Promise((resolve) => waiting.push({ count, resolve }))
    },
  }
}
export type Arrivals<T> = ReturnType<typeof arrivals<T>>
