import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../../src/core/logger.js'
import { growingDelay } from '../../src/core/backoff.js'

const RETRY_MAX_MS = 60_000

/**
 * Stores something a platform pushed and cannot push again (a gateway event, a WhatsApp Web
 * message): held in memory and tried again, with growing pauses, until the database takes it.
 */
export function keepStoring(store: () => Promise<void>, log: Logger, what: string): void {
  void (async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await store()
        if (attempt > 1) log.info({ attempt }, `${what} stored after all`)
        return
      } catch (error) {
        const delayMs = growingDelay(attempt, 500, RETRY_MAX_MS)
        log.error({ attempt, delayMs, err: error }, `${what} not stored yet, trying again`)
        await sleep(delayMs, undefined, { ref: false })
      }
    }
  })()
}
