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
 * test could not drop itself (a database opened before a test, in beforeAll).
 */
export default function setup(project: TestProject): (() => Promise<void>) | undefined {
  const run = `td_${randomBytes(4).toString('hex')}`
  project.provide('postgresRun', run)
  const url = process.env.TEST_DATABASE_URL
  if (url === undefined || url === '') return undefined
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
