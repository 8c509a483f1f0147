/** The slice of a structured logger (pino's) the core writes to. */
export interface LogFn {
  (obj: object, msg?: string): void
  (msg: string): void
}

export interface Logger {
  readonly debug: LogFn
  readonly info: LogFn
  readonly warn: LogFn
  readonly error: LogFn
  readonly fatal: LogFn
  child(bindings: Record<string, unknown>): Logger
}
