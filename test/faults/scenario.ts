import type { Random } from './rng.js'
import { waitFor } from './wait.js'
import type { World, WorldOptions } from './world.js'

/** What a scenario gets: a seeded generator, a way to open its world, and a place to say things. */
export interface ScenarioContext {
  readonly seed: number
  readonly random: Random
  /** Opens the scenario's world (one per scenario); the runner closes it. */
  readonly open: (opts: Omit<WorldOptions, 'name' | 'mainJs' | 'seed'>) => Promise<World>
  /** A line printed under the scenario's summary (what was measured, why something was skipped). */
  readonly info: (line: string) => void
  /** A promise of the scenario's own that did not hold (beyond the counts): fails it, with this line. */
  readonly fail: (line: string) => void
  /** Runs after the world is closed (unmount a file system). */
  readonly cleanup: (fn: () => Promise<void> | void) => void
}

export interface Scenario {
  readonly name: string
  /** One line: the fault, and what must hold. */
  readonly about: string
  /** Resolves with a reason when the scenario cannot run here; the runner then prints it as skipped. */
  run(ctx: ScenarioContext): Promise<{ skipped: string } | void>
}

/**
 * Kills the bot the first time `kill` is called, from inside a fake's hook or the moment the bot
 * acknowledged something, then restarts it. `arm` installs hooks and returns their remover;
 * `trigger` makes the traffic that should reach the kill point. Resolves with whether the kill
 * happened within `timeoutMs`.
 */
export async function killWhen(
  world: World,
  arm: (kill: () => void) => () => void,
  trigger: (kill: () => void) => unknown,
  timeoutMs = 15_000,
): Promise<boolean> {
  let fired = false
  const kill = () => {
    if (fired) return
    fired = true
    world.killNow()
  }
  const disarm = arm(kill)
  try {
    await trigger(kill)
    await waitFor('the kill point', () => fired, timeoutMs).catch(() => undefined)
  } finally {
    disarm()
  }
  if (fired) await world.restartAfterKill()
  return fired
}

/** For kill points that need no hook in a fake. */
export const noHook = (): (() => void) => () => undefined
