/** What the bot says to customers on its own. Placeholders: {{ticket.number}}, {{customer.name}}. */
export interface CustomerTexts {
  /** Sent once when a message opens a ticket. */
  readonly ticketOpened: string
  /** Sent when a customer starts a conversation without a question yet. */
  readonly greeting: string
}

export const defaultTexts: CustomerTexts = {
  ticketOpened:
    "Thanks for your message! We've opened ticket #{{ticket.number}} for it and will answer here as soon as we can.",
  greeting:
    'Hi {{customer.name}}! Write your question here and our support team will answer you in this chat.',
}

export function fillTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => vars[name] ?? whole)
}
