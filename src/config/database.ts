import { z } from 'zod'

export const DEFAULT_DATABASE_URL = 'file:./data/threaddesk.db'

/**
 * `file:PATH` or `:memory:` (SQLite), or `postgres://…` / `postgresql://…` (PostgreSQL); anything
 * else is refused in one line.
 */
export const databaseUrl = z
  .string()
  .default(DEFAULT_DATABASE_URL)
  .superRefine((url, ctx) => {
    if (url === ':memory:' || /^file:./.test(url)) return
    const postgres = /^postgres(ql)?:\/\//.test(url)
    if (postgres && URL.canParse(url)) return
    const message = postgres
      ? 'is not a PostgreSQL URL like postgres://user:password@host:5432/threaddesk'
      : /^[a-z][a-z0-9+.-]*:\/\//i.test(url)
        ? `names a database threaddesk cannot use (${url.split(':')[0]}): use file:PATH for SQLite or postgres://… for PostgreSQL`
        : `must start with file: (SQLite), like file:${url}`
    ctx.addIssue({ code: 'custom', message })
  })

/**
 * DATABASE_URL alone, for the commands that need nothing else (migrate, backup): an empty value is
 * unset, a wrong one a one-line message.
 */
export function readDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.DATABASE_URL?.trim()
  const parsed = databaseUrl.safeParse(value === '' ? undefined : value)
  if (!parsed.success) throw new Error(`DATABASE_URL ${parsed.error.issues[0]?.message ?? 'is not valid'}`)
  return parsed.data
}
