import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { DeskError } from '../../src/core/errors.js'

/** How far from our clock a signed request may be dated, either way (Slack's own rule). */
const SKEW_MS = 5 * 60 * 1000

const header = (headers: IncomingHttpHeaders, name: string): string => [headers[name]].flat()[0] ?? ''

/**
 * Checks that Slack signed these bytes (`v0=` and the HMAC-SHA256 of `v0:TIMESTAMP:BODY` under the
 * signing secret) within five minutes of now, either way; otherwise throws DeskError `forbidden`
 * (401). It runs before the body is parsed: a stranger's megabytes of JSON cost one hash, not the
 * event loop's time. It is the only check: Bolt's own is turned off.
 */
export function assertSignedBySlack(
  headers: IncomingHttpHeaders,
  raw: Buffer,
  secret: string,
  now = Date.now(),
): void {
  const timestamp = header(headers, 'x-slack-request-timestamp')
  const at = Number(timestamp) * 1000
  if (!/^\d+$/.test(timestamp) || Math.abs(now - at) > SKEW_MS) {
    throw new DeskError('forbidden', 'the request is not signed by Slack within the last five minutes')
  }
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`,
  )
  const given = Buffer.from(header(headers, 'x-slack-signature'))
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new DeskError('forbidden', 'the request is not signed by Slack')
  }
}
