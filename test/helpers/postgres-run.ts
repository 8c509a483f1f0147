import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The prefix of the schemas this run creates on TEST_DATABASE_URL's server. */
    postgresRun: string
  }
}

/**
 * Global setup: names this run, so every schema it creates on TEST_DATABASE_URL's server (one per
 * test, test/helpers/db.ts) can be told apart from another run's; at the end drops those that a
 * test could not drop itself (a database opened before a test, in beforeAll). Creates what every
 * schema shares first (the search extensions).
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const run = `td_${randomBytes(4).toString('hex')}`
  project.provide('postgresRun', run)
  const url = process.env.TEST_DATABASE_URL
  if (url === undefined || url === '') return undefined
  await searchExtensions(url)
  return async () => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const { rows } = await client.query<{ name: string }>(
        `select nspname as name from pg_namespace where starts_with(nspname, $1)`,
        [`${run}_`],
      )
      // One statement per schema: dropping them all at once could exceed the server's lock table.
      for (const { name } of rows) await client.query(`drop schema ${name} cascade`)
    } finally {
      await client.end()
    }
  }
}

/**
 * Ticket search's extensions (migrations/0014), created once in the server's `public` schema: an
 * extension is one per database, so the first test to migrate would otherwise create it in its own
 * schema, and dropping that schema would take it from every test running beside it.
 */
async function searchExtensions(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    for (const name of ['pg_trgm', 'unaccent'])
      await client.query(`create extension if not exists ${name} schema public`)
  } finally {
    await client.end()
  }
}
