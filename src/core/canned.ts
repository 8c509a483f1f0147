import { ensureAgent } from '../db/repos/agents.js'
import {
  cannedReplies,
  cannedReplyText,
  removeCannedReply,
  saveCannedReply,
} from '../db/repos/canned-replies.js'
import { findContact } from '../db/repos/contacts.js'
import { DeskError } from './errors.js'
import type { Actor } from './actor.js'
import { createWork, type WorkDeps } from './work.js'

const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/
const VARIABLE = /\{\{\s*([^}]*?)\s*\}\}/g
export const CANNED_VARIABLES = ['customer.name', 'ticket.number', 'agent.name'] as const

/** The variables a text uses that canned replies do not know. */
function unknownVariables(text: string): string[] {
  return [...text.matchAll(VARIABLE)]
    .map((m) => m[1] ?? '')
    .filter((name) => !(CANNED_VARIABLES as readonly string[]).includes(name))
}

export type CannedReplies = ReturnType<typeof createCannedReplies>

/** The team's canned replies: kept by admins, used by everyone in /reply 42 :NAME. */
export function createCannedReplies(deps: WorkDeps) {
  const { db } = deps
  const { inTransaction, requireTicket } = createWork(deps)

  async function requireAdmin(actor: Actor, tx: typeof db, now: string) {
    const agent = await ensureAgent(tx, actor.deskUserId, now)
    if (agent.role !== 'admin')
      throw new DeskError('forbidden', 'Only admins change the team’s canned replies.')
    return agent
  }

  return {
    async add(actor: Actor, name: string, text: string): Promise<string> {
      const key = name.replace(/^:/, '').toLowerCase()
      if (!NAME.test(key)) {
        throw new DeskError(
          'invalid',
          `\`${name}\` is not a name: use lowercase letters, digits, - and _, at most 32.`,
        )
      }
      const body = text.trim()
      if (body === '')
        throw new DeskError('invalid', 'Write the reply after its name: `/canned add NAME TEXT`.')
      const unknown = unknownVariables(body)
      if (unknown.length > 0) {
        throw new DeskError(
          'invalid',
          `Unknown variable ${unknown.map((v) => `{{${v}}}`).join(', ')}; use ${CANNED_VARIABLES.map((v) => `{{${v}}}`).join(', ')}.`,
        )
      }
      return inTransaction(async (tx, now) => {
        const agent = await requireAdmin(actor, tx, now)
        await saveCannedReply(tx, { name: key, text: body, createdBy: agent.id }, now)
        return `Canned reply \`:${key}\` saved.`
      })
    },

    async remove(actor: Actor, name: string): Promise<string> {
      const key = name.replace(/^:/, '').toLowerCase()
      return inTransaction(async (tx, now) => {
        await requireAdmin(actor, tx, now)
        if (!(await removeCannedReply(tx, key)))
          throw new DeskError('not_found', `There is no canned reply \`:${key}\`.`)
        return `Canned reply \`:${key}\` removed.`
      })
    },

    async list(): Promise<{ name: string; text: string }[]> {
      return cannedReplies(db)
    },

    /** The canned reply filled in for a ticket; an unknown name or variable is an error, never a blank. */
    async render(name: string, ticketId: number, agentName: string): Promise<string> {
      const key = name.replace(/^:/, '').toLowerCase()
      const canned = await cannedReplyText(db, key)
      if (canned === undefined) {
        throw new DeskError(
          'not_found',
          `There is no canned reply \`:${key}\`; \`/canned list\` shows them. Nothing was sent.`,
        )
      }
      const ticket = await requireTicket(db, ticketId)
      const contact = await findContact(db, ticket.contact_id)
      if (contact === undefined) throw new DeskError('rejected', `ticket #${ticket.id} has no contact`)
      const values: Record<string, string> = {
        'customer.name': contact.display_name,
        'ticket.number': String(ticket.id),
        'agent.name': agentName,
      }
      const unknown = unknownVariables(canned)
      if (unknown.length > 0)
        throw new DeskError(
          'invalid',
          `\`:${key}\` uses unknown variables (${unknown.join(', ')}); nothing was sent.`,
        )
      return canned.replace(VARIABLE, (_whole, variable: string) => values[variable.trim()] ?? '')
    },
  }
}
