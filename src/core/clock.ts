/** Where the core reads the time. Tests inject a clock they move by hand. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export const iso = (d: Date): string => d.toISOString()
