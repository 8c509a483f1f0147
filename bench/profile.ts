/**
 * Where a process's CPU time went, from a V8 `.cpuprofile` (node --cpu-prof): self time by package
 * and the functions that took most, within a window of the run.
 *
 *   npx tsx bench/profile.ts FILE.cpuprofile [FROM_MS TO_MS]
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

interface CallFrame {
  readonly functionName: string
  readonly url: string
  readonly lineNumber: number
}

interface ProfileNode {
  readonly id: number
  readonly callFrame: CallFrame
  readonly children?: readonly number[]
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  readonly startTime: number
  readonly endTime: number
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

export interface Share {
  readonly name: string
  readonly ms: number
  /** Of the CPU time in the window (idle excluded), 0..1. */
  readonly share: number
}

export interface ProfileSummary {
  /** CPU time sampled in the window, idle excluded, ms. */
  readonly cpuMs: number
  /** The window's length, ms. */
  readonly wallMs: number
  readonly byPackage: readonly Share[]
  /** threaddesk's own code by folder (src/core, src/db, adapters/telegram…). */
  readonly ownByFolder: readonly Share[]
  readonly topFunctions: readonly Share[]
  /**
   * threaddesk's functions by inclusive time: each sample counts once for every one of them on its
   * stack. Stacks are synchronous: after an await, time counts to the function that resumed.
   */
  readonly ownInclusive: readonly Share[]
}

const SQLITE = 'better-sqlite3 (SQLite itself: self time of sqlite-dialect #run)'
const SQLITE_CALLERS = new Set(['#run', 'streamQuery'])
const OWN_FOLDERS = /\/(?:dist\/)?((?:src|adapters|migrations)\/[^/]+)/

/** Which package a frame's code belongs to: an npm package, node itself, V8, or threaddesk. */
export function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame
  // A native addon's work shows as self time of the JS function that calls into it: ours calls
  // better-sqlite3 from one place, so that function's self time is SQLite's.
  if (SQLITE_CALLERS.has(functionName) && /\/src\/db\/sqlite-dialect\.[jt]s$/.test(url)) return SQLITE
  if (functionName === '(garbage collector)') return 'GC'
  if (functionName === '(program)') return '(program): V8 and native, unattributed'
  if (url === '') return 'V8 builtins and native'
  if (url.startsWith('node:')) return 'node core'
  const modules = url.lastIndexOf('/node_modules/')
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/')
    return rest[0]?.startsWith('@') === true ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url)
  }
  return OWN_FOLDERS.test(url) ? 'threaddesk' : 'other'
}

function place(frame: CallFrame): string {
  const { url } = frame
  if (url === '') return ''
  const modules = url.lastIndexOf('/node_modules/')
  const own = /\/((?:src|adapters|migrations)\/.*)$/.exec(url)
  const file =
    modules >= 0 ? url.slice(modules + '/node_modules/'.length) : (own?.[1] ?? url.replace(/^.*\//, ''))
  return ` (${file}:${frame.lineNumber + 1})`
}

/** Self time within [fromMs, toMs] of the profile's start (the whole profile when no window). */
export function summariseProfile(
  file: string,
  window?: { readonly fromMs: number; readonly toMs: number },
  top = 25,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]))
  const parents = new Map<number, number>()
  for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id)
  const self = new Map<number, number>()
  let t = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0
    const ms = (t - profile.startTime) / 1000
    if (window !== undefined && (ms < window.fromMs || ms > window.toMs)) continue
    // A sample stands for the time until the next one.
    const duration = (profile.timeDeltas[i + 1] ?? 0) / 1000
    const id = profile.samples[i] ?? 0
    self.set(id, (self.get(id) ?? 0) + duration)
  }
  const byPackage = new Map<string, number>()
  const byFolder = new Map<string, number>()
  const byFunction = new Map<string, number>()
  const inclusive = new Map<string, number>()
  let cpuMs = 0
  for (const [id, ms] of self) {
    const frame = frames.get(id)
    if (frame === undefined || frame.functionName === '(idle)' || frame.functionName === '(root)') continue
    cpuMs += ms
    const pkg = packageOf(frame)
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms)
    if (pkg === 'threaddesk') {
      const folder = OWN_FOLDERS.exec(frame.url)?.[1] ?? 'other'
      byFolder.set(folder, (byFolder.get(folder) ?? 0) + ms)
    }
    const name = `${frame.functionName === '' ? '(anonymous)' : frame.functionName}${place(frame)} [${pkg}]`
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms)
    const onStack = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const f = frames.get(at)
      if (f !== undefined && packageOf(f) === 'threaddesk')
        onStack.add(`${f.functionName || '(anonymous)'}${place(f)}`)
    }
    for (const own of onStack) inclusive.set(own, (inclusive.get(own) ?? 0) + ms)
  }
  const shares = (m: Map<string, number>, limit = Infinity): Share[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, ms]) => ({ name, ms, share: cpuMs === 0 ? 0 : ms / cpuMs }))
  const wallMs =
    window === undefined ? (profile.endTime - profile.startTime) / 1000 : window.toMs - window.fromMs
  return {
    cpuMs,
    wallMs,
    byPackage: shares(byPackage),
    ownByFolder: shares(byFolder),
    topFunctions: shares(byFunction, top),
    ownInclusive: shares(inclusive, 15),
  }
}

export function formatProfile(p: ProfileSummary): string {
  const pct = (s: Share) =>
    `${(s.share * 100).toFixed(1).padStart(5)} %  ${s.ms.toFixed(0).padStart(6)} ms  ${s.name}`
  return [
    `CPU ${(p.cpuMs / 1000).toFixed(1)} s in ${(p.wallMs / 1000).toFixed(1)} s of wall time (${((p.cpuMs / p.wallMs) * 100).toFixed(0)} % of one core)`,
    '',
    'self time by package:',
    ...p.byPackage.map(pct),
    '',
    "threaddesk's own code by folder:",
    ...p.ownByFolder.map(pct),
    '',
    'top functions by self time:',
    ...p.topFunctions.map(pct),
    '',
    "threaddesk's functions by inclusive time (synchronous stacks: after an await, time counts to what resumed):",
    ...p.ownInclusive.map(pct),
  ].join('\n')
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, from, to] = process.argv.slice(2)
  if (file === undefined) {
    process.stderr.write('usage: tsx bench/profile.ts FILE.cpuprofile [FROM_MS TO_MS]\n')
    process.exit(2)
  }
  const window =
    from !== undefined && to !== undefined ? { fromMs: Number(from), toMs: Number(to) } : undefined
  process.stdout.write(`${formatProfile(summariseProfile(file, window))}\n`)
}
