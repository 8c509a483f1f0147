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
  /** The triage menu's question at a customer's first message (INTAKE=menu). */
  readonly triageQuestion: string
  /** The menu's second question, with INTAKE_URGENCY. */
  readonly urgencyQuestion: string
  /** What a numbered-text menu adds under its choices. */
  readonly chooseByNumber: string
  /** The heading of a customer's own list of tickets ("my requests"). */
  readonly myRequests: string
  /** The menu's button that lists the customer's own requests. */
  readonly myRequestsButton: string
  /** The button that leaves an intake question unanswered. */
  readonly skipButton: string
  /** Under an intake question where there are no buttons. */
  readonly skipHint: string
  /** Said when a customer with no ticket asks for their list. */
  readonly noRequests: string
  /** The answer to a contact that CONTACT_POLICY=known does not let open tickets. */
  readonly unknownContact: string
}

export const defaultTexts: CustomerTexts = {
  ticketOpened:
    "Thanks for your message! We've opened ticket #{{ticket.number}} for it and will answer here as soon as we can.",
  greeting:
    'Hi {{customer.name}}! Write your question here and our support team will answer you in this chat.',
  afterHours: 'Our team is away right now and will be back {{business.opens}}.',
  pendingReminder:
    'We are still waiting for your answer on ticket #{{ticket.number}}. Reply here whenever you are ready; without an answer we will close it in a few days.',
  triageQuestion: 'What is your request about? Pick one, or just keep writing.',
  urgencyQuestion: 'How urgent is it?',
  chooseByNumber: 'Reply with the number of your choice.',
  myRequests: 'Your requests:',
  myRequestsButton: 'My requests',
  skipButton: 'Skip',
  skipHint: 'Send "skip" to leave it out.',
  noRequests: 'You have no requests with us yet. Write your question here to open one.',
  unknownContact:
    'Thanks for your message. This support line is for registered customers only, so we cannot open a request for it.',
}

export function fillTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => vars[name] ?? whole)
}
