import { expect, it } from 'vitest'
import { MEASURES, runBench } from '../../bench/bench.js'
import { FROM_SOURCE } from '../../bench/bot.js'
import { formatProfile } from '../../bench/profile.js'
import { table } from '../../bench/report.js'
import { SMOKE_SIZES } from '../../bench/sizes.js'
import { testLog } from '../helpers/log.js'

/**
 * `npm run bench` in miniature, so it keeps working: every measure end to end against the bot (from
 * source: the tests need no build) with tiny sizes. It checks what the bench prints, never a figure.
 */
it('runs every measure end to end and prints a well-formed row for each', async () => {
  const lines: string[] = []
  const progress: string[] = []
  const result = await runBench({
    sizes: SMOKE_SIZES,
    command: FROM_SOURCE,
    keep: false,
    profile: true,
    out: (line) => lines.push(line),
    progress: (line) => progress.push(line),
    log: testLog(),
  })

  const rows = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  expect(new Set(rows.map((r) => String(r.id).split('.')[0]))).toEqual(new Set(MEASURES))
  for (const row of rows) {
    expect(Object.keys(row)).toEqual(
      expect.arrayContaining(['id', 'measure', 'unit', 'threaddesk', 'ceiling', 'ratio', 'target', 'met']),
    )
    // PostgreSQL's rows are measured only when a server is given (npm run test:pg gives one).
    if (String(row.note).startsWith('not run')) expect(process.env.TEST_DATABASE_URL ?? '').toBe('')
    else expect(row.threaddesk, `${String(row.id)} has a figure`).toEqual(expect.any(Number))
    expect([null, true, false]).toContain(row.met)
  }
  const printed = table(result.rows).split('\n')
  expect(printed[0]).toMatch(/^\| measure +\| +threaddesk \| +ceiling \| +ratio \| +target \| met\? \|$/)
  for (const row of result.rows) expect(printed.some((l) => l.startsWith(`| ${row.measure} `))).toBe(true)
  expect(result.profile?.cpuMs).toBeGreaterThan(0)
  expect(formatProfile(result.profile!)).toContain('self time by package:')
}, 180_000)
