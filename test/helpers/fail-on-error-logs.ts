import { afterAll, beforeEach, expect, onTestFinished } from 'vitest'
import { checkLogged } from './log.js'

// Registered from vitest.config.ts for every test file. Lines are judged in three places, so each
// is blamed on what wrote it: before a test (a beforeAll, or work an earlier test left running), at
// its end, and after the file. The end-of-test check runs last of the test's finishing hooks
// (onTestFinished runs after afterEach, the first registered last), so lines logged while a harness
// stops count; a test's own beforeEach comes after this one, so what it logs counts too.
beforeEach(({ task }) => {
  const name = expect.getState().currentTestName ?? task.name
  checkLogged(`Something before "${name}" (a beforeAll, or work an earlier test left running)`)
  onTestFinished(() => checkLogged(`"${name}"`, task.result?.state === 'fail'))
})

afterAll(() =>
  checkLogged("Something after this file's last test (an afterAll, or work a test left running)"),
)
