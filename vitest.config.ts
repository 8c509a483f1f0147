import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fails a test that logged an error it did not declare (test/helpers/log.ts).
    setupFiles: ['test/helpers/fail-on-error-logs.ts'],
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
})
