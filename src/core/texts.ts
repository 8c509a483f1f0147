/** What the bot says to customers on its own. Placeholders: {{ticket.number}}, {{customer.name}}, {{business.opens}}. */
export interface CustomerTexts {
  /** Sent once when a message opens a ticket. */
  readonly ticketOpened: string
  /** Sent when a customer starts a conversation without a question yet. */
  readonly greeting: string
  /** Sent once per ticket per closed period when a customer writes outside business hours. {{business.opens}} */
  readonly afterHours: string
  /** Sent when a pending ticket has waited for the customer for a while. */
  readonly pendingReminder: string
}

export const defaultTexts: CustomerTexts = {
  ticketOpened:
    "Thanks for your message! We've opened ticket #{{ticket.number}} for it and will answer here as soon as we can.",
  greeting:
    'Hi {{customer.name}}! Write your question here and our support team will answer you in this chat.',
  afterHours: 'Our team is away right now and will be back {{business.opens}}.',
  pendingReminder:
    'We are still waiting for your answer on ticket #{{ticket.number}}. Reply here whenever you are ready; without an answer we will close it in a few days.',
}

export function fillTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => vars[name] ?? whole)
}
