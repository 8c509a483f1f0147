import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { testDatabaseUrl, testingOnPostgres } from './db.js'

/**
 * A database that outlives the process using it, removed when the test ends: for tests that restart
 * the bot. A SQLite file in a fresh folder, or on PostgreSQL a schema of its own.
 */
export async function tempDatabaseUrl(): Promise<string> {
  if (testingOnPostgres) return testDatabaseUrl()
  const dir = mkdtempSync(join(tmpdir(), 'threaddesk-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return `file:${join(dir, 'desk.db')}`
}
