import { mkdtempSync } from 'node:fs'
import { cpus, loadavg, platform, arch, totalmem, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from '../src/core/logger.js'
import type { BotCommand } from './bot.js'
import { measureIngest } from './p1-ingest.js'
import { measureStore } from './p2-store.js'
import { measureBurst } from './p3-burst.js'
import { measureScale } from './p4-scale.js'
import { measureReplies } from './p5-replies.js'
import type { ProfileSummary } from './profile.js'
import { jsonLine, type Row } from './report.js'
import type { Sizes } from './sizes.js'
import type { BenchContext } from './world.js'

export const MEASURES = ['p1', 'p2', 'p3', 'p4', 'p5'] as const
export type Measure = (typeof MEASURES)[number]

export interface BenchOptions {
  readonly sizes: Sizes
  /** The measures to run, all by default. */
  readonly only?: readonly Measure[]
  readonly command: BotCommand
  /** Keeps each measure's folder (database, bot log). */
  readonly keep: boolean
  /** Profiles the bot's CPU during P1's ingest (node --cpu-prof). */
  readonly profile: boolean
  /** Where each measure's JSON lines go as soon as it is done. */
  readonly out: (line: string) => void
  readonly progress: (line: string) => void
  /** The logger of the app P2 runs in-process. */
  readonly log: Logger
}

export interface BenchResult {
  readonly rows: readonly Row[]
  /** The machine and when, for the table's heading. */
  readonly machine: string
  readonly profile?: ProfileSummary
  /** Where the profile's `.cpuprofile` is (open it in Chrome DevTools). */
  readonly profileDir?: string
}

/** Which machine ran it, and how busy it was. */
export function describeMachine(): string {
  const cpu = cpus()
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')
  return `${new Date().toISOString().slice(0, 10)}, ${platform()} ${arch()}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, load average ${load} at start`
}

/** Runs the measures one after another, each against its own bot and database. */
export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  const machine = describeMachine()
  const profileDir = opts.profile ? mkdtempSync(join(tmpdir(), 'threaddesk-bench-profile-')) : undefined
  const ctx: BenchContext = {
    command: opts.command,
    progress: opts.progress,
    keep: opts.keep,
    ...(profileDir !== undefined && { profileDir }),
  }
  const wanted = (m: Measure) => opts.only === undefined || opts.only.includes(m)
  const rows: Row[] = []
  const emit = (more: readonly Row[]) => {
    for (const row of more) opts.out(jsonLine(row))
    rows.push(...more)
  }
  let profile: ProfileSummary | undefined
  if (wanted('p1')) {
    const ingest = await measureIngest(ctx, opts.sizes.p1)
    emit(ingest.rows)
    profile = ingest.profile
  }
  if (wanted('p2')) emit(await measureStore(ctx, opts.log, opts.sizes.p2))
  if (wanted('p3')) emit(await measureBurst(ctx, opts.sizes.p3))
  if (wanted('p4')) emit(await measureScale(ctx, opts.sizes.p4))
  if (wanted('p5')) emit(await measureReplies(ctx, opts.sizes.p5))
  return {
    rows,
    machine,
    ...(profile !== undefined && { profile }),
    ...(profileDir !== undefined && { profileDir }),
  }
}
