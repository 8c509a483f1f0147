import { compiledOnce } from '../compiled-once.js'
import type { Db } from '../connection.js'
import type { ReplyTemplate } from '../schema.js'

/** The texts of one key in up to three languages (a language, its base, the default: `textFor`'s order). */
const textsOf = compiledOnce((db, t: { key: string; first: string; second: string; third: string }) =>
  db
    .selectFrom('reply_templates')
    .select(['language', 'text'])
    .where('key', '=', t.key)
    .where('language', 'in', [t.first, t.second, t.third]),
)

/** The team's texts for one automatic message in any of `languages` ('' is the default). */
export async function templateTexts(
  db: Db,
  key: string,
  languages: readonly string[],
): Promise<Pick<ReplyTemplate, 'language' | 'text'>[]> {
  if (languages.length === 0 || languages.length > 3) {
    return db
      .selectFrom('reply_templates')
      .select(['language', 'text'])
      .where('key', '=', key)
      .where('language', 'in', languages)
      .execute()
  }
  // Repeating a language asks for nothing more: one compiled query serves one to three of them.
  const [first = '', second = first, third = first] = languages
  return (await textsOf(db, { key, first, second, third })).rows
}

/** Saves the team's text for an automatic message in one language, replacing the one before. */
export async function saveTemplateText(
  db: Db,
  template: { key: string; language: string; text: string },
  at: string,
): Promise<void> {
  await db
    .insertInto('reply_templates')
    .values({ key: template.key, language: template.language, text: template.text, updated_at: at })
    .onConflict((oc) => oc.columns(['key', 'language']).doUpdateSet({ text: template.text, updated_at: at }))
    .execute()
}

/** Removes the team's text in one language, so the next one down is used; false when there was none. */
export async function removeTemplateText(db: Db, key: string, language: string): Promise<boolean> {
  const gone = await db
    .deleteFrom('reply_templates')
    .where('key', '=', key)
    .where('language', '=', language)
    .executeTakeFirst()
  return gone.numDeletedRows !== 0n
}

/** Every text the team wrote, by message and language. */
export async function allTemplateTexts(db: Db): Promise<ReplyTemplate[]> {
  return db.selectFrom('reply_templates').selectAll().orderBy('key').orderBy('language').execute()
}
