/**
 * Text that came from outside (a customer's name, a platform's failure reason, a service's
 * answer) on its way into a line the desk shows. Until the desk renders every line itself, the core
 * still composes some lines in the desk's markup; what goes into them from outside passes here, so
 * it reads literally, links nothing and mentions no one (`<!channel>` stays text).
 */
export function inert(text: string): string {
  return redactSecrets(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * Hides what must never be shown or logged: credentials in URLs (`https://user:pass@host`), and
 * values of query parameters or fields that name a secret (`token=…`, `api_key: …`).
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi, '$1[redacted]@')
    .replace(
      /\b((?:access_?token|token|api_?key|key|secret|password|passwd|signature|sig|auth)=)[^&\s"']+/gi,
      '$1[redacted]',
    )
    .replace(/\bxox[abpr]-[A-Za-z0-9-]+/g, '[redacted]')
    .replace(/\bxapp-[A-Za-z0-9-]+/g, '[redacted]')
    .replace(/\b\d{6,12}:[A-Za-z0-9_-]{30,}\b/g, '[redacted]')
}
