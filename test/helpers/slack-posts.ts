import type { FakeSlack } from '../fakes/slack-api.js'

type Blocks = readonly { readonly block_id?: string; readonly text?: { readonly text?: string } }[]

/** What a root message shows of its ticket's first message (its `opening_…` sections), if it shows it. */
export function openingOf(post: Record<string, unknown>): string | undefined {
  const blocks = Array.isArray(post.blocks) ? (post.blocks as Blocks) : []
  const parts = blocks
    .filter((b) => b.block_id?.startsWith('opening_') === true)
    .map((b) => b.text?.text ?? '')
  return parts.length === 0 ? undefined : parts.join('')
}

/** The texts of a post's section blocks, in order: what Slack shows of a post made of sections. */
export function sectionsOf(post: Record<string, unknown>): string[] {
  const blocks = Array.isArray(post.blocks) ? (post.blocks as Blocks) : []
  return blocks.flatMap((b) => (b.text?.text === undefined ? [] : [b.text.text]))
}

/**
 * What Slack was asked to show of the conversations, post by post: a root the ticket's first
 * message it shows, a thread post its text.
 */
export function shownInSlack(slack: Pick<FakeSlack, 'callsOf'>): string[] {
  return slack.callsOf('chat.postMessage').flatMap((p) => {
    if (p.thread_ts !== undefined) return [String(p.text)]
    const opening = openingOf(p)
    return opening === undefined ? [] : [opening]
  })
}
