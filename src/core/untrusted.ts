/**
 * Hides what must never be shown or logged: credentials in URLs (`https://user:pass@host`), and
 * values of query parameters or fields that name a secret (`token=…`, `api_key: …`). Text from
 * outside (a platform's failure reason, a service's answer) passes here before the core stores it
 * for the desk; the desk escapes it when it writes it into a line.
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
