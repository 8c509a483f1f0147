import { z } from 'zod'
import { millis, parsed, parseDuration, settingsPart } from './part.js'

/** How the outbox treats a platform that is slow or down, and how long a process may take to stop. */
export const deliverySettings = settingsPart({
  env: {
    SEND_TIMEOUT_MS: millis(30_000, 100),
    REPLY_DELAY_S: z.coerce
      .number({ message: 'must be a number of seconds (0 turns the undo window off)' })
      .min(0)
      .max(600)
      .default(5),
    OUTBOX_ALERT_AFTER: parsed(parseDuration),
    OUTBOX_MAX_BACKOFF_MS: millis(10 * 60_000, 10),
    SHUTDOWN_TIMEOUT_MS: millis(10_000, 0),
  },
  read: (e) =>
    Object.freeze({
      sendTimeoutMs: e.SEND_TIMEOUT_MS,
      alertAfterMs: e.OUTBOX_ALERT_AFTER ?? 15 * 60_000,
      maxBackoffMs: e.OUTBOX_MAX_BACKOFF_MS,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
      /** How long a reply typed in a thread waits before it leaves (deleting it meanwhile takes it back). */
      replyDelayMs: e.REPLY_DELAY_S * 1000,
    }),
})
