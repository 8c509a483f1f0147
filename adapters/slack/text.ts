/** Slack's mrkdwn control characters, escaped so customer text can never mention or link anything. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * An agent's Slack text as plain text for a customer: links, mentions and channel names lose
 * their markup, and the escaped characters become themselves again.
 */
export function fromSlackText(text: string): string {
  return text
    .replace(/<([^<>|]+)\|([^<>]+)>/g, (_m, target: string, label: string) => {
      if (target.startsWith('@') || target.startsWith('#')) return `${target[0]}${label}`
      if (target.startsWith('!')) return `@${label}`
      const bare = target.replace(/^mailto:/, '')
      return bare === label || target === label ? label : `${label} (${bare})`
    })
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/<([^<>]+)>/g, (_m, target: string) => target.replace(/^mailto:/, ''))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/** A desk user as Slack names them: a mention. */
export const mention = (deskUserId: string): string => `<@${deskUserId}>`

/** The user id in a Slack mention (`<@U123>` or `<@U123|name>`), or undefined. */
export function parseMention(token: string): string | undefined {
  return /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token)?.[1]
}

/** A ticket number written as `42` or `#42`, or undefined. */
export function parseTicketNumber(token: string | undefined): number | undefined {
  const match = /^#?(\d{1,12})$/.exec(token ?? '')
  return match?.[1] === undefined ? undefined : Number(match[1])
}
