import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkLogged, complaint, expectLogged, judge, LEVELS, testLog, type LogLine } from './log.js'

const line = (level: keyof typeof LEVELS, msg: string, fields: Record<string, unknown> = {}): LogLine => ({
  level: LEVELS[level],
  time: 0,
  msg,
  ...fields,
})

describe('judging what a test logged', () => {
  it('lets info and warn lines through, and an error line only if declared', () => {
    const lines = [
      line('info', 'started'),
      line('warn', 'will retry'),
      line('error', 'delivery failed for good'),
    ]
    expect(judge(lines, [])).toEqual({ unexpected: [lines[2]], unmet: [] })
    expect(judge(lines, [{ msg: 'failed for good' }])).toEqual({ unexpected: [], unmet: [] })
    expect(judge(lines, [{ msg: /^delivery failed for good$/ }])).toEqual({ unexpected: [], unmet: [] })
  })

  it('counts fatal as an error', () => {
    expect(judge([line('fatal', 'down')], []).unexpected).toHaveLength(1)
  })

  it('reports a declared line that never came', () => {
    expect(judge([line('warn', 'job failed')], [{ msg: 'job failed' }]).unmet).toEqual([
      { msg: 'job failed' },
    ])
  })

  it('matches declared fields exactly, or by a RegExp on their text', () => {
    const lines = [line('error', 'job failed', { job: 'sla', err: 'boom: database is locked' })]
    expect(judge(lines, [{ msg: 'job failed', fields: { job: 'sla', err: /locked/ } }]).unexpected).toEqual(
      [],
    )
    expect(judge(lines, [{ msg: 'job failed', fields: { job: 'digest' } }]).unexpected).toEqual(lines)
  })

  it('names each unexpected line and each unmet declaration', () => {
    const verdict = judge([line('error', 'job failed', { job: 'sla', err: 'boom' })], [{ msg: /never/ }])
    const text = complaint(verdict, 'the test')
    expect(text).toContain('ERROR job failed {"job":"sla","err":"boom"}')
    expect(text).toContain('expectLogged(/never/)')
    expect(complaint({ unexpected: [], unmet: [] }, 'the test')).toBeUndefined()
  })

  it('shows a repeated line once, with how often it came', () => {
    const text = complaint(
      judge(
        Array.from({ length: 3 }, () => line('error', 'did not start')),
        [],
      ),
      'the test',
    )
    expect(text).toContain('3 unexpected error line(s)')
    expect(text).toContain('ERROR did not start {} (×3)')
  })
})

describe('the check after each test', () => {
  it('throws on an error line nobody declared, naming it, and passes once declared', () => {
    const log = testLog()
    log.child({ job: 'sla' }).error({ err: 'boom' }, 'job failed')
    expect(() => checkLogged('this test')).toThrow(
      /unexpected error line.*\n {2}ERROR job failed .*"job":"sla"/,
    )

    expectLogged('job failed', { job: 'sla' })
    log.child({ job: 'sla' }).error({ err: 'boom' }, 'job failed')
    expect(() => checkLogged('this test')).not.toThrow()
  })

  it('passes a test that declared the error line it logs', () => {
    expectLogged('delivery failed for good')
    testLog().error({ delivery: 1 }, 'delivery failed for good')
  })

  it('keeps every line, at the production level, for the test to read', () => {
    const log = testLog()
    log.debug('not at info')
    log.child({ desk: 'slack' }).info({ token: 'xoxb-secret' }, 'connected')
    expect(log.lines()).toHaveLength(1)
    expect(log.find('info', 'connected')).toMatchObject({ desk: 'slack', token: '[redacted]' })
  })

  // These two fail by design: the setup file's check is what fails them, so `fails` turns them green.
  it.fails('fails a test that logged an error line it did not declare', () => {
    testLog().error('boom')
  })

  it.fails('fails a test that declared an error line that never came', () => {
    expectLogged('never logged')
  })
})

describe('the way around it', () => {
  // A logger built anywhere else in test/ would escape the check: pino's silent level turns every
  // method into a no-op (hiding the lines and any crash in writing them), and a hand-made object does
  // the same. Only test/helpers/log.ts builds loggers.
  const ways = [
    /from 'pino'/,
    /\bcreateLogger\(/,
    /level: *'silent'/,
    /\bsilentLog\b/,
    /\bchild: /, // a hand-made Logger object
  ]

  it('is closed: every logger in test/ comes from testLog()', () => {
    const root = join(import.meta.dirname, '..')
    const here = [join(import.meta.dirname, 'log.ts'), import.meta.filename]
    const offenders = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .map((file) => join(root, file))
      .filter((file) => file.endsWith('.ts') && !here.includes(file))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((text, i) =>
            ways.some((way) => way.test(text)) ? [`${relative(root, file)}:${i + 1}: ${text.trim()}`] : [],
          ),
      )
    expect(offenders, 'build loggers with testLog() from test/helpers/log.ts').toEqual([])
  })
})
