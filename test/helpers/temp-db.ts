import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

/** A SQLite file in a fresh folder, removed when the test ends: for tests that restart the bot. */
export function tempDatabaseUrl(): string {
  const dir = mkdtempSync(join(tmpdir(), 'threaddesk-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return `file:${join(dir, 'desk.db')}`
}
