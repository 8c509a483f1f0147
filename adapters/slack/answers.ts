import type { DeskError } from '../../src/core/errors.js'
import type { AgentRole } from '../../src/core/model.js'
import { mention } from './text.js'

const withArticle = (role: AgentRole) => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`

/** What the core answered an agent, in Slack's words: people as mentions. */
export const roleSetText = (deskUserId: string, role: AgentRole): string =>
  `${mention(deskUserId)} is now ${withArticle(role)}.`

export const accessRemovedText = (deskUserId: string): string =>
  `${mention(deskUserId)} can no longer work tickets. \`/agents add\` gives access back.`

/** Why the core refused: in the desk's words when it said what the refusal is about, else as it said it. */
export function refusalText(error: DeskError): string {
  const detail = error.detail
  switch (detail?.kind) {
    case undefined:
      return error.message
    case 'already_has_role':
      return `${mention(detail.deskUserId)} is already ${withArticle(detail.role)}.`
    case 'no_access_to_remove':
      return `${mention(detail.deskUserId)} has no access to take away.`
  }
}
