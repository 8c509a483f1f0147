import { DeskError } from '../../src/core/errors.js'
import type { OutboundChoice, OutboundMessage } from '../../src/core/ports.js'
import { commonGraphError, graphCall, type GraphAnswer } from '../meta/graph.js'
import { splitText } from '../../src/core/split-text.js'

/** Instagram's limit on one message's text. */
export const INSTAGRAM_TEXT_LIMIT = 1000
export const STANDARD_WINDOW_MS = 24 * 60 * 60 * 1000
/** Human agents may answer for 7 days with the HUMAN_AGENT tag. */
export const HUMAN_AGENT_WINDOW_MS = 7 * STANDARD_WINDOW_MS

export interface InstagramGraph {
  readonly graphUrl: string
  readonly version: string
  readonly token: string
  readonly accountId: string
}

export function toDeskError(answer: GraphAnswer<unknown>): DeskError {
  const { code, error_subcode: subcode } = answer.body.error ?? {}
  if (code === 10 && subcode === 2018278) {
    return new DeskError(
      'rejected',
      'the customer last wrote more than 7 days ago; Instagram accepts no reply until they write again',
    )
  }
  if (code === 551) return new DeskError('rejected', 'this Instagram user cannot receive messages right now')
  return commonGraphError('Instagram', 'INSTAGRAM_ACCESS_TOKEN', answer)
}

/**
 * Sends text to an Instagram user. Past 24 hours since the customer wrote, the message carries the
 * HUMAN_AGENT tag, which Instagram accepts for 7 days.
 */
/** What a reply needs at this point of the conversation: RESPONSE, or the HUMAN_AGENT tag after 24 hours. */
export function replyTag(lastCustomerMessageAt: Date | undefined, now: Date): Record<string, string> {
  const since = lastCustomerMessageAt === undefined ? 0 : now.getTime() - lastCustomerMessageAt.getTime()
  return since > STANDARD_WINDOW_MS
    ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }
    : { messaging_type: 'RESPONSE' }
}

/** Instagram shows up to 13 quick replies, titles up to 20 characters. */
export const MAX_QUICK_REPLIES = 13

const quickReplies = (choices: readonly OutboundChoice[]) =>
  choices
    .slice(0, MAX_QUICK_REPLIES)
    .map((c) => ({ content_type: 'text', title: c.label.slice(0, 20), payload: c.id }))

export async function sendInstagramMessage(
  graph: InstagramGraph,
  msg: OutboundMessage,
  now: Date,
): Promise<string> {
  const tag = replyTag(msg.lastCustomerMessageAt, now)
  let mid = ''
  const parts = splitText(msg.text, INSTAGRAM_TEXT_LIMIT)
  for (const [i, text] of parts.entries()) {
    const url = `${graph.graphUrl}/${graph.version}/${graph.accountId}/messages`
    // A menu's quick replies go under its last part.
    const menu = i === parts.length - 1 && msg.choices !== undefined && msg.choices.length > 0
    const message = menu ? { text, quick_replies: quickReplies(msg.choices ?? []) } : { text }
    const body = { recipient: { id: msg.to }, message, ...tag }
    const answer = await graphCall<{ message_id?: string }>(url, graph.token, { method: 'POST', body })
    if (!answer.ok) throw toDeskError(answer)
    mid = answer.body.message_id ?? mid
  }
  return mid
}
