/**
 * The desk user a command names, written as the desk writes a person (`<@U123>` or
 * `<@U123|name>`); undefined for anything else. Filters and bulk commands name people this way.
 */
export function personRef(token: string): string | undefined {
  return /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token)?.[1]
}
