import { BULK_LIMIT, type BulkResult, type BulkSpec } from '../../src/core/bulk.js'
import type { DeskError } from '../../src/core/errors.js'
import type { Actor, Assignment } from '../../src/core/helpdesk.js'
import type { AgentRole } from '../../src/core/model.js'
import { mention } from './text.js'

/*
 * What the core answered an agent, in Slack's words: people as mentions. The core returns what
 * happened (an assignment, a role, a bulk run's counts) or refuses with a DeskError whose detail
 * says what it is about; these functions write the sentences.
 */

const withArticle = (role: AgentRole) => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`

export const roleSetText = (deskUserId: string, role: AgentRole): string =>
  `${mention(deskUserId)} is now ${withArticle(role)}.`

export const accessRemovedText = (deskUserId: string): string =>
  `${mention(deskUserId)} can no longer work tickets. \`/agents add\` gives access back.`

/** Who has the ticket now, said to the agent who assigned it: "you" when they took it. */
export const assignedText = (actor: Actor, { ticketId, assignee }: Assignment): string =>
  `Ticket #${ticketId} is now assigned to ${assignee === actor.deskUserId ? 'you' : mention(assignee)}.`

/** Why the core refused: in the desk's words when it said what the refusal is about, else as it said it. */
export function refusalText(error: DeskError): string {
  const detail = error.detail
  switch (detail?.kind) {
    case undefined:
      return error.message
    case 'already_assigned':
      return `Ticket #${detail.ticketId} is already assigned to ${mention(detail.assignee)}.`
    case 'already_has_role':
      return `${mention(detail.deskUserId)} is already ${withArticle(detail.role)}.`
    case 'no_access_to_remove':
      return `${mention(detail.deskUserId)} has no access to take away.`
    case 'not_an_agent':
      return `${mention(detail.deskUserId)} is not an agent of the desk, so tickets cannot be assigned to them. An admin can add them: \`/agents add ${mention(detail.deskUserId)} agent\`.`
    case 'invalid_field':
    case 'idempotency_key_reused':
      return error.message
  }
}

/** A bulk action as the confirmation and the summary name it. */
export function describeBulk(spec: BulkSpec): string {
  switch (spec.action) {
    case 'resolve':
      return 'resolve'
    case 'assign':
      return `assign to ${mention(spec.arg ?? '')}`
    case 'tag':
      return `tag \`${spec.arg ?? ''}\``
    case 'priority':
      return `set priority ${spec.arg ?? ''}`
  }
}

const SKIPS_SHOWN = 10

/** What a bulk run did: how many changed, the first tickets skipped and why, and whether more are left. */
export function bulkDoneText(spec: BulkSpec, result: BulkResult): string {
  const { done, skipped } = result
  // "Ticket #3 is already solved." reads "#3 (is already solved)" in the list.
  const why = (error: DeskError) =>
    refusalText(error)
      .replace(/^Ticket #\d+ /, '')
      .replace(/\.$/, '')
  const shown = skipped.slice(0, SKIPS_SHOWN).map((s) => `#${s.ticketId} (${why(s.why)})`)
  const skip =
    skipped.length === 0
      ? ''
      : ` Skipped ${skipped.length}: ${shown.join(', ')}${skipped.length > SKIPS_SHOWN ? ', …' : ''}.`
  const more = result.more ? ` Only the ${BULK_LIMIT} newest were done; run it again for the rest.` : ''
  return `Done: ${describeBulk(spec)} on ${done} ticket${done === 1 ? '' : 's'}.${skip}${more}`
}
