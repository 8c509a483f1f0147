import type { Db } from '../db/connection.js'
import { ensureAgent } from '../db/repos/agents.js'
import {
  allTemplateTexts,
  removeTemplateText,
  saveTemplateText,
  templateTexts,
} from '../db/repos/reply-templates.js'
import { DeskError } from './errors.js'
import type { Actor } from './actor.js'
import type { CustomerTexts } from './texts.js'
import { createWork, type WorkDeps } from './work.js'

export type TemplateKey = keyof CustomerTexts

/** The names admins use in /templates, and what each text may and must say. */
export const TEMPLATES: Readonly<
  Record<string, { key: TemplateKey; variables: readonly string[]; required?: string }>
> = {
  confirmation: {
    key: 'ticketOpened',
    variables: ['ticket.number', 'customer.name'],
    required: 'ticket.number',
  },
  greeting: { key: 'greeting', variables: ['customer.name'] },
  away: { key: 'afterHours', variables: ['business.opens', 'customer.name'], required: 'business.opens' },
  reminder: { key: 'pendingReminder', variables: ['ticket.number', 'customer.name'] },
  menu: { key: 'triageQuestion', variables: ['customer.name'] },
  urgency: { key: 'urgencyQuestion', variables: ['customer.name'] },
  requests: { key: 'myRequests', variables: ['customer.name'] },
  norequests: { key: 'noRequests', variables: ['customer.name'] },
  unknown: { key: 'unknownContact', variables: ['customer.name'] },
}

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z]{2})?$/

/**
 * The text the bot sends on its own, in the customer's language where an admin wrote one: the
 * exact language (pt-BR), then its base (pt), then the team's default, then the built-in text.
 */
export async function textFor(
  db: Db,
  key: TemplateKey,
  language: string | null,
  builtIn: CustomerTexts,
): Promise<string> {
  const wanted =
    language === null ? [''] : [language.toLowerCase(), language.toLowerCase().split('-')[0] ?? '', '']
  const rows = await templateTexts(db, key, wanted)
  for (const lang of wanted) {
    const row = rows.find((r) => r.language === lang)
    if (row !== undefined) return row.text
  }
  return builtIn[key]
}

export type ReplyTemplates = ReturnType<typeof createReplyTemplates>

/** Admins' edits of the automatic customer messages, per language. */
export function createReplyTemplates(deps: WorkDeps & { readonly builtIn: CustomerTexts }) {
  const { inTransaction } = createWork(deps)

  function resolve(name: string, language: string | undefined) {
    const template = TEMPLATES[name.toLowerCase()]
    if (template === undefined) {
      throw new DeskError(
        'invalid',
        `\`${name}\` is not a template; choose ${Object.keys(TEMPLATES).join(', ')}.`,
      )
    }
    if (language !== undefined && !LANGUAGE.test(language))
      throw new DeskError('invalid', `\`${language}\` is not a language code like de or pt-BR.`)
    return { ...template, language: language?.toLowerCase() ?? '' }
  }

  async function requireAdmin(tx: Db, actor: Actor, now: string) {
    const agent = await ensureAgent(tx, actor.deskUserId, now)
    if (agent.role !== 'admin') throw new DeskError('forbidden', 'Only admins change the automatic messages.')
  }

  return {
    async set(actor: Actor, name: string, language: string | undefined, text: string): Promise<string> {
      const t = resolve(name, language)
      const body = text.trim()
      const used = [...body.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1] ?? '')
      const unknown = used.filter((v) => !t.variables.includes(v))
      if (body === '') throw new DeskError('invalid', 'Write the text after the template name.')
      if (unknown.length > 0) {
        throw new DeskError(
          'invalid',
          `Unknown variable ${unknown.map((v) => `{{${v}}}`).join(', ')}; ${name} may use ${t.variables.map((v) => `{{${v}}}`).join(', ')}.`,
        )
      }
      if (t.required !== undefined && !used.includes(t.required)) {
        throw new DeskError('invalid', `The ${name} text must include {{${t.required}}}.`)
      }
      return inTransaction(async (tx, now) => {
        await requireAdmin(tx, actor, now)
        await saveTemplateText(tx, { key: t.key, language: t.language, text: body }, now)
        return `The ${name} text${t.language === '' ? '' : ` in ${t.language}`} is saved.`
      })
    },

    async reset(actor: Actor, name: string, language: string | undefined): Promise<string> {
      const t = resolve(name, language)
      return inTransaction(async (tx, now) => {
        await requireAdmin(tx, actor, now)
        if (!(await removeTemplateText(tx, t.key, t.language)))
          throw new DeskError(
            'not_found',
            `There is no ${name} text${t.language === '' ? '' : ` in ${t.language}`} to reset.`,
          )
        return `The ${name} text${t.language === '' ? '' : ` in ${t.language}`} is back to the default.`
      })
    },

    /** Every template with the texts in use: the team's, else the built-in one. */
    async list(): Promise<{ name: string; language: string; text: string }[]> {
      const rows = await allTemplateTexts(deps.db)
      return Object.entries(TEMPLATES).flatMap(([name, t]) => {
        const own = rows.filter((r) => r.key === t.key)
        const fallback = own.some((r) => r.language === '')
          ? []
          : [{ name, language: '', text: deps.builtIn[t.key] }]
        return [...fallback, ...own.map((r) => ({ name, language: r.language, text: r.text }))]
      })
    },
  }
}
