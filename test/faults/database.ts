import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
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

/** A scenario's schema: its URL, how to keep what is in it, and how to drop it. */
export interface ScenarioSchema {
  readonly url: string
  /** Writes every table of the schema as JSON lines into `dir` (`db-deliveries.jsonl`…), to read after a failure. */
  readonly dump: (dir: string) => Promise<void>
  readonly drop: () => Promise<void>
}

/** Every row of every table in the schema the URL's search_path names, one file per table. */
async function dumpTables(url: string, dir: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `select table_name as name from information_schema.tables
       where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
    )
    for (const { name } of tables) {
      const { rows } = await client.query(`select * from "${name}" order by 1`)
      writeFileSync(join(dir, `db-${name}.jsonl`), rows.map((r) => `${JSON.stringify(r)}\n`).join(''))
    }
  } finally {
    await client.end()
  }
}

/** A fresh schema for one scenario's bot. */
export async function scenarioSchema(server: string, scenario: string): Promise<ScenarioSchema> {
  const schema = `faults_${scenario.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`
  await onServer(server, `create schema ${schema}`)
  const url = new URL(server)
  url.searchParams.set('options', `-c search_path=${schema}`)
  url.search = url.searchParams.toString().replace(/\+/g, '%20')
  return {
    url: url.toString(),
    dump: (dir) => dumpTables(url.toString(), dir),
    drop: () => onServer(server, `drop schema ${schema} cascade`),
  }
}
