/**
 * Checks, once and at once, what a request to the bot did. Slack, webhooks and slash commands are
 * answered only after their work is stored, so there is nothing left to wait for: awaiting the
 * request is awaiting the work.
 */
export async function afterAnswer(check: () => unknown): Promise<void> {
  await check()
}
