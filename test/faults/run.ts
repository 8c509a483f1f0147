/**
 * npm run test:faults — kills, starves and floods the built bot and counts every message.
 *
 *   npm run test:faults                                    every scenario, a fresh seed (printed)
 *   npm run test:faults -- --seed 1234                     replay a seed
 *   npm run test:faults -- slack-down hung-target          only these scenarios
 *   npm run test:faults -- --jobs 1                        one scenario at a time (default 2)
 *   npm run test:faults -- --keep                          keep every scenario's folder (logs, trace.log)
 *   npm run test:faults -- --bot ../x/dist/src/main.js     another build of the bot
 *   scripts/with-postgres.sh npm run test:faults           on PostgreSQL: a schema per scenario
 *
 * Each scenario runs `node dist/src/main.js` in a fresh folder with its settings in the environment,
 * against fake Slack and Telegram servers on loopback, and prints what it counted: lost, doubled
 * (beyond what was in flight at a kill), leaked, crashed, late, reordered. Exit 1 unless all are 0.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { BotProcess } from './bot-process.js'
import { seededRandom } from './rng.js'
import type { Scenario, ScenarioContext } from './scenario.js'
import { apiWebhookKills } from './scenarios-api.js'
import { diskFull } from './scenarios-disk.js'
import { killAfterAck, killAfterSend, randomKills, webhookKills } from './scenarios-kill.js'
import { hungTarget, rateLimitStorm, slackDown } from './scenarios-outage.js'
import { replicas, replicasPolling } from './scenarios-replicas.js'
import type { Verdict } from './verdict.js'
import { MAIN_JS, World } from './world.js'

const SCENARIOS: readonly Scenario[] = [
  randomKills,
  killAfterAck,
  killAfterSend,
  webhookKills,
  slackDown,
  rateLimitStorm,
  hungTarget,
  diskFull,
  replicas,
  replicasPolling,
  apiWebhookKills,
]

/** How many examples of each kind a failing scenario prints. */
const SHOWN = 6

interface Args {
  readonly seed: number
  readonly only: readonly string[]
  readonly mainJs: string
  readonly keep: boolean
  /** Scenarios run side by side: each bot paces its Slack posts, so most of a scenario is waiting. */
  readonly jobs: number
}

interface Outcome {
  readonly verdict?: Verdict
  readonly skipped?: string
  readonly aborted?: string
  readonly bad: boolean
  /** What to print for it. */
  readonly report: readonly string[]
}

type Cleanup = () => Promise<void> | void
/** Everything still to undo, should the run be interrupted. */
const pendingCleanups = new Set<Cleanup>()

function parseArgs(argv: readonly string[]): Args {
  let seed = Math.floor(Math.random() * 2 ** 31)
  let mainJs = MAIN_JS
  let keep = false
  let jobs = 2
  const only: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--seed') seed = Number(argv[++i])
    else if (arg === '--bot') mainJs = resolve(argv[++i] ?? '')
    else if (arg === '--jobs') jobs = Number(argv[++i])
    else if (arg === '--keep') keep = true
    else only.push(arg)
  }
  if (!Number.isInteger(seed)) throw new Error('--seed takes an integer')
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error('--jobs takes a number from 1')
  const unknown = only.filter((n) => !SCENARIOS.some((s) => s.name === n))
  if (unknown.length > 0)
    throw new Error(`no scenario ${unknown.join(', ')}; there are ${SCENARIOS.map((s) => s.name).join(', ')}`)
  return { seed, only, mainJs, keep, jobs }
}

const failed = (v: Verdict): boolean =>
  v.lost.length + v.doubled.length + v.leaked.length + v.crashed.length + v.reordered.length + v.late.length >
  0

function counts(v: Verdict): string {
  return [
    `lost=${v.lost.length}`,
    `doubled=${v.doubled.length}`,
    `leaked=${v.leaked.length}`,
    `crashed=${v.crashed.length}`,
    `late=${v.late.length}`,
    `reordered=${v.reordered.length}`,
    `in-flight-doubles=${v.inFlightDoubles.length}`,
  ].join(' ')
}

function details(v: Verdict): string[] {
  const lines: string[] = []
  const show = (label: string, items: readonly string[]) => {
    if (items.length === 0) return
    const more = items.length > SHOWN ? ` … and ${items.length - SHOWN} more` : ''
    lines.push(`${label}: ${items.slice(0, SHOWN).join('; ')}${more}`)
  }
  show('lost', v.lost)
  show('doubled', v.doubled)
  show('leaked', v.leaked)
  show('crashed', v.crashed)
  show('late', v.late)
  show('reordered', v.reordered)
  show('in flight at a kill (allowed)', v.inFlightDoubles)
  return lines
}

/** The bot's error-level lines, most frequent first: the first place to look when a scenario fails. */
function botErrors(world: World): string[] {
  const all = new Map<string, number>()
  for (const bot of world.incarnations)
    for (const [msg, n] of bot.errors()) all.set(msg, (all.get(msg) ?? 0) + n)
  return [...all.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([msg, n]) => `bot error ×${n}: ${msg.slice(0, 220)}`)
}

async function runScenario(scenario: Scenario, args: Args): Promise<Outcome> {
  const started = Date.now()
  const info: string[] = []
  const failures: string[] = []
  const cleanups: Cleanup[] = []
  let world: World | undefined
  const ctx: ScenarioContext = {
    seed: args.seed,
    random: seededRandom(args.seed ^ hash(scenario.name)),
    open: async (opts) => {
      if (world !== undefined) throw new Error('a scenario opens one world')
      const opened = await World.create({
        ...opts,
        name: scenario.name,
        mainJs: args.mainJs,
        seed: args.seed ^ hash(scenario.name),
      })
      // Known before the bot starts, so a bot that cannot start is still counted and cleaned up.
      world = opened
      await opened.start()
      return opened
    },
    info: (line) => info.push(line),
    fail: (line) => failures.push(line),
    cleanup: (fn) => {
      cleanups.push(fn)
      pendingCleanups.add(fn)
    },
  }
  let verdict: Verdict | undefined
  let skipped: string | undefined
  let aborted: string | undefined
  try {
    skipped = (await scenario.run(ctx))?.skipped
  } catch (error) {
    // A wait that ran out is still counted: a bot that never posts a ticket loses its messages.
    aborted = error instanceof Error ? error.message : String(error)
  }
  if (skipped === undefined) verdict = world?.verdict()
  const bad = aborted !== undefined || failures.length > 0 || (verdict !== undefined && failed(verdict))
  await world?.close(bad || args.keep)
  for (const fn of cleanups) {
    await fn()
    pendingCleanups.delete(fn)
  }

  if (skipped !== undefined) return { skipped, bad: false, report: [`[${scenario.name}] SKIP ${skipped}`] }
  const secs = `${((Date.now() - started) / 1000).toFixed(1)}s`
  const kills =
    world === undefined ? '' : ` kills=${world.kills.length} restarts=${world.incarnations.length - 1}`
  const status = bad ? 'FAIL' : 'ok'
  const body = [
    scenario.about,
    ...info,
    ...(aborted === undefined ? [] : [`aborted: ${aborted}`]),
    ...failures.map((f) => `failed: ${f}`),
    ...(verdict === undefined ? [] : details(verdict)),
    ...(world?.notes ?? []).map((n) => `note: ${n}`),
    ...(bad && world !== undefined ? botErrors(world) : []),
    ...((bad || args.keep) && world !== undefined ? [`bot logs: ${world.dir}`] : []),
  ]
  return {
    ...(verdict && { verdict }),
    ...(aborted !== undefined && { aborted }),
    bad,
    report: [
      `[${scenario.name}] ${status} ${verdict ? counts(verdict) : ''}${kills} ${secs}`,
      ...body.map((line) => `    ${line}`),
    ],
  }
}

function hash(text: string): number {
  let h = 0
  for (const ch of text) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0
  return h
}

/** Runs the scenarios `jobs` at a time; prints each report in the fixed order, as soon as it can. */
async function runAll(chosen: readonly Scenario[], args: Args): Promise<Outcome[]> {
  const results: Promise<Outcome>[] = []
  const slots: Promise<unknown>[] = []
  for (const scenario of chosen) {
    if (slots.length >= args.jobs) await Promise.race(slots)
    const result = runScenario(scenario, args)
    results.push(result)
    const slot: Promise<unknown> = result.finally(() => slots.splice(slots.indexOf(slot), 1))
    slots.push(slot)
  }
  const outcomes: Outcome[] = []
  for (const result of results) {
    const outcome = await result
    for (const line of outcome.report) console.log(line)
    outcomes.push(outcome)
  }
  return outcomes
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2))
  if (!existsSync(args.mainJs)) {
    console.error(`${args.mainJs} is missing: run npm run build first (npm run test:faults does).`)
    return 2
  }
  const chosen = args.only.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => args.only.includes(s.name))
  console.log(`test:faults seed=${args.seed} (replay: npm run test:faults -- --seed ${args.seed})`)
  if (args.mainJs !== MAIN_JS) console.log(`bot: ${args.mainJs}`)
  const onSignal = () => {
    // Interrupted: leave no bot running and no tmpfs mounted behind.
    BotProcess.killAll()
    void Promise.all([...pendingCleanups].map(async (fn) => fn())).finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  const outcomes = await runAll(chosen, args)
  const verdicts = outcomes.flatMap((o) => (o.verdict === undefined ? [] : [o.verdict]))
  const sum = (pick: (v: Verdict) => readonly string[]) => verdicts.reduce((n, v) => n + pick(v).length, 0)
  const failing = chosen.filter((_, i) => outcomes[i]?.bad === true).map((s) => s.name)
  console.log(
    [
      `overall: ${failing.length > 0 ? 'FAIL' : 'ok'}`,
      `lost=${sum((v) => v.lost)}`,
      `doubled=${sum((v) => v.doubled)}`,
      `leaked=${sum((v) => v.leaked)}`,
      `crashed=${sum((v) => v.crashed)}`,
      `late=${sum((v) => v.late)}`,
      `reordered=${sum((v) => v.reordered)}`,
      `in-flight-doubles=${sum((v) => v.inFlightDoubles)}`,
      `seed=${args.seed}`,
      ...(failing.length > 0 ? [`failing: ${failing.join(', ')}`] : []),
    ].join(' '),
  )
  return failing.length > 0 ? 1 : 0
}

process.exit(await main())
