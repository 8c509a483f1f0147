import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it, onTestFinished } from 'vitest'
import { openDatabase } from '../../src/db/connection.js'
import { testingOnPostgres } from '../helpers/db.js'
import { tempDatabaseUrl } from '../helpers/temp-db.js'

const run = promisify(execFile)
const TSX = import.meta.resolve('tsx/esm')
const cli = (name: string) => fileURLToPath(new URL(`../../src/${name}`, import.meta.url))
const hasPgDump = await run('pg_dump', ['--version']).then(
  () => true,
  () => false,
)

/** A folder of its own (no .env in it), removed when the test ends. */
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'threaddesk-cli-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Runs one of the command-line tools from source, with only DATABASE_URL set. */
const tool = (name: string, url: string, args: string[] = []) =>
  run(process.execPath, ['--import', TSX, cli(name), ...args], {
    cwd: folder(),
    env: { PATH: process.env.PATH, DATABASE_URL: url },
  })

describe('npm run migrate and npm run backup', () => {
  it('migrate applies every migration once, on the engine DATABASE_URL names', async () => {
    const url = await tempDatabaseUrl()
    expect((await tool('migrate-cli.ts', url)).stdout).toMatch(/^applied: 0001-initial, .*0011-agent-removal/)
    expect((await tool('migrate-cli.ts', url)).stdout).toBe('database is up to date\n')
  })

  it.skipIf(testingOnPostgres)('backup copies the SQLite file while it is open (SQLite only)', async () => {
    const url = await tempDatabaseUrl()
    await tool('migrate-cli.ts', url)
    const copy = join(folder(), 'copy.db')
    expect((await tool('backup-cli.ts', url, [copy])).stdout).toMatch(
      /^backed up .* to .*copy\.db \(\d+ pages\)/,
    )
    const db = openDatabase(`file:${copy}`)
    expect((await db.introspection.getTables()).map((t) => t.name)).toContain('tickets')
    await db.destroy()
  })

  it.runIf(testingOnPostgres && hasPgDump)(
    'backup runs pg_dump into a file pg_restore reads (PostgreSQL only)',
    async () => {
      const url = await tempDatabaseUrl()
      await tool('migrate-cli.ts', url)
      const dump = join(folder(), 'desk.dump')
      expect((await tool('backup-cli.ts', url, [dump])).stdout).toMatch(
        /with pg_dump \(restore: pg_restore\)/,
      )
      expect(statSync(dump).size).toBeGreaterThan(0)
      const { stdout } = await run('pg_restore', ['--list', dump])
      expect(stdout).toMatch(/TABLE DATA \S+ tickets/)
      // Only the schema the URL works in, not the rest of the database.
      expect(new Set([...stdout.matchAll(/TABLE DATA (\S+) /g)].map((m) => m[1])).size).toBe(1)
    },
  )
})
