import { randomBytes } from 'node:crypto'
import pg from 'pg'

/**
 * The PostgreSQL server the fault suite runs the bot against when TEST_DATABASE_URL=postgres://…
 * is set (`scripts/with-postgres.sh npm run test:faults`); SQLite files otherwise.
 */
export const faultsServer = process.env.TEST_DATABASE_URL === '' ? undefined : process.env.TEST_DATABASE_URL

/** Runs one statement on the server, on a connection of its own. */
async function onServer(server: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: server })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** A fresh schema for one scenario's bot, and how to drop it. */
export async function scenarioSchema(
  server: string,
  scenario: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `faults_${scenario.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`
  await onServer(server, `create schema ${schema}`)
  const url = new URL(server)
  url.searchParams.set('options', `-c search_path=${schema}`)
  url.search = url.searchParams.toString().replace(/\+/g, '%20')
  return { url: url.toString(), drop: () => onServer(server, `drop schema ${schema} cascade`) }
}
