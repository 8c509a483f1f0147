/**
 * The pause before try number `attempt` (1 = the first retry): `baseMs`, doubling with every try,
 * never longer than `maxMs`. Every retry loop of the process waits this way.
 */
export function growingDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)))
}
