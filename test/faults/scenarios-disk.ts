import { execFileSync } from 'node:child_process'
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { faultsServer } from './database.js'
import type { Scenario } from './scenario.js'
import { pause } from './wait.js'
import type { World } from './world.js'

const TMPFS_SIZE = '16m'

const errorLines = (world: World): number =>
  world.incarnations.reduce((n, b) => n + [...b.errors().values()].reduce((a, x) => a + x, 0), 0)

/** Fills a file system: big writes, then small ones, until it says ENOSPC. */
function fill(path: string): number {
  const fd = openSync(path, 'w')
  let written = 0
  try {
    for (const size of [1 << 20, 1 << 16, 1 << 12, 512]) {
      const chunk = Buffer.alloc(size, 1)
      for (;;) {
        try {
          written += writeSync(fd, chunk)
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break
          throw error
        }
      }
    }
  } finally {
    closeSync(fd)
  }
  return written
}

/** Mounts a small tmpfs, or says why it cannot. */
function mountTmpfs(dir: string): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root, so no tmpfs can be mounted'
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE}`, 'tmpfs', dir], { stdio: 'pipe' })
    return undefined
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim()
    return `mount -t tmpfs failed: ${stderr || String(error)}`
  }
}

export const diskFull: Scenario = {
  name: 'disk-full',
  about:
    'the database is on a tmpfs that fills up, so writes fail; customers and agents keep writing; then space is freed',
  async run({ open, info, cleanup }) {
    if (faultsServer !== undefined)
      return { skipped: 'the database is a PostgreSQL server, not a file on a disk this scenario can fill' }
    const mount = join(tmpdir(), `threaddesk-faults-tmpfs-${process.pid}`)
    mkdirSync(mount, { recursive: true })
    const refused = mountTmpfs(mount)
    if (refused !== undefined) {
      rmSync(mount, { recursive: true, force: true })
      return { skipped: refused }
    }
    cleanup(() => {
      try {
        execFileSync('umount', [mount], { stdio: 'pipe' })
      } catch {
        // Still busy (a bot that would not die): detach it now, the kernel frees it when it can.
        execFileSync('umount', ['-l', mount], { stdio: 'pipe' })
      }
      rmSync(mount, { recursive: true, force: true })
    })

    const world = await open({ dataDir: mount })
    const customers = await world.openTickets([1, 2])
    const filler = join(mount, 'filler')
    const bytes = fill(filler)
    info(`tmpfs of ${TMPFS_SIZE} filled with ${(bytes / 1_048_576).toFixed(1)} MB`)
    const errorsBefore = errorLines(world)
    for (const c of customers) world.say(c)
    world.say(world.customer(3)) // a new ticket while nothing can be written
    // The agents do not wait: a bot that answers Slack 500 now gets Slack's retries after the space is back.
    const replies = customers.map((c) => world.reply(c))
    await pause(3_000) // the disk stays full for 3 s: the length of this fault is the point
    rmSync(filler)
    info(`the bot logged ${errorLines(world) - errorsBefore} error lines while the disk was full`)
    await Promise.all(replies)
    const told = world.slack.answered.filter((a) => a.method === 'chat.postEphemeral').length
    if (told > 0) info(`the agent was answered privately ${told} times (chat.postEphemeral)`)

    await world.settle(8_000, 30_000)
    await world.restart()
    for (const c of customers) world.say(c)
    for (const c of customers) await world.reply(c)
    await world.settle(8_000, 30_000)
  },
}
