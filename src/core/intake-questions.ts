import { ensureAgent } from '../db/repos/agents.js'
import { allQuestions, removeQuestion, saveQuestion } from '../db/repos/intake.js'
import type { Actor } from './actor.js'
import { DeskError } from './errors.js'
import { createWork, type WorkDeps } from './work.js'

const FIELD = /^[a-z][a-z0-9_]{0,39}$/
const LANGUAGE = /^[a-z]{2,3}(-[a-z]{2})?$/
const TEXT_MAX = 500

export type IntakeQuestions = ReturnType<typeof createIntakeQuestions>

/** One question as admins list it: its type, the field its answer goes to, and its text per language. */
export interface QuestionListing {
  readonly type: string
  readonly field: string
  readonly texts: readonly { readonly language: string; readonly text: string }[]
}

/**
 * The questions asked after a customer picked a ticket type (INTAKE=menu), one at a time, each
 * answer kept as a ticket field. Admins set them per type and per language; everyone reads them.
 */
export function createIntakeQuestions(deps: WorkDeps & { readonly types: readonly string[] }) {
  const { inTransaction } = createWork(deps)

  function checked(type: string, field: string) {
    const t = type.toLowerCase()
    if (!deps.types.includes(t))
      throw new DeskError('invalid', `\`${type}\` is not a ticket type; choose ${deps.types.join(', ')}.`)
    if (!FIELD.test(field))
      throw new DeskError(
        'invalid',
        `\`${field}\` is not a field name: lowercase letters, digits and _, like order_number.`,
      )
    return t
  }

  async function requireAdmin(tx: WorkDeps['db'], actor: Actor, now: string) {
    const agent = await ensureAgent(tx, actor.deskUserId, now)
    if (agent.role !== 'admin') throw new DeskError('forbidden', 'Only admins change the intake questions.')
  }

  return {
    async add(
      actor: Actor,
      type: string,
      field: string,
      language: string | undefined,
      text: string,
    ): Promise<string> {
      const t = checked(type, field)
      const lang = language?.toLowerCase() ?? ''
      if (lang !== '' && !LANGUAGE.test(lang))
        throw new DeskError('invalid', `\`${language}\` is not a language code like de or pt-BR.`)
      const body = text.trim()
      if (body === '') throw new DeskError('invalid', 'Write the question after the field name.')
      if (body.length > TEXT_MAX)
        throw new DeskError('invalid', `A question has at most ${TEXT_MAX} characters.`)
      return inTransaction(async (tx, now) => {
        await requireAdmin(tx, actor, now)
        await saveQuestion(tx, { ticketType: t, field, language: lang, text: body }, now)
        return `Customers who pick ${t} are asked for ${field}${lang === '' ? '' : ` (in ${lang})`}.`
      })
    },

    async remove(actor: Actor, type: string, field: string): Promise<string> {
      const t = checked(type, field)
      return inTransaction(async (tx, now) => {
        await requireAdmin(tx, actor, now)
        if (!(await removeQuestion(tx, t, field)))
          throw new DeskError('not_found', `There is no ${field} question for ${t}.`)
        return `The ${field} question for ${t} is removed.`
      })
    },

    /** Every question, by type in the configured order, then in the order added. */
    async list(): Promise<QuestionListing[]> {
      const rows = await allQuestions(deps.db)
      const listing: QuestionListing[] = []
      for (const type of deps.types) {
        const own = rows.filter((r) => r.ticket_type === type)
        for (const field of [...new Set(own.map((r) => r.field))]) {
          const texts = own
            .filter((r) => r.field === field)
            .map((r) => ({ language: r.language, text: r.text }))
          listing.push({ type, field, texts })
        }
      }
      return listing
    },
  }
}
