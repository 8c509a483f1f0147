import { DateTime } from 'luxon'
import type { Digest } from '../../src/core/delivery.js'
import { statusLabel } from '../../src/core/model.js'
import { durationWords } from '../../src/core/report-request.js'
import type { LabelOf } from '../channel-module.js'
import { escapeText } from './text.js'

/**
 * The morning digest in words; `labelOf` names a channel, `when` writes a time as the team reads
 * it. Customer names are escaped.
 */
export function digestText(digest: Digest, labelOf: LabelOf, when: (at: Date) => string): string {
  const y = digest.yesterday
  const byStatus = digest.open.map(({ status, count }) => `${statusLabel[status]} ${count}`).join(' · ')
  const oldest =
    digest.waiting.length === 0
      ? 'Nobody is waiting for an answer.'
      : digest.waiting
          .map(
            (w) =>
              `• #${w.ticketId} · ${labelOf(w.channel)} · ${escapeText(w.customer)} — waiting since ${when(new Date(w.since))}`,
          )
          .join('\n')
  return [
    `:sunrise: *Support digest for ${DateTime.fromISO(digest.day).toFormat('cccc d LLLL')}*`,
    `Open tickets: ${byStatus}`,
    `Yesterday: ${y.created} created · ${y.solved} solved · ${y.reopened} reopened · first response median ${durationWords(y.firstResponseMedianMs)} · ${y.breached} SLA target${y.breached === 1 ? '' : 's'} breached (\`/report yesterday\` for more)`,
    '*Waiting longest for an answer*',
    oldest,
  ].join('\n')
}
