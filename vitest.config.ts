import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fails a test that logged an error it did not declare (test/helpers/log.ts).
    setupFiles: ['test/helpers/fail-on-error-logs.ts'],
    // With TEST_DATABASE_URL (npm run test:pg): names this run's schemas and drops what is left of them.
    globalSetup: ['test/helpers/postgres-run.ts'],
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
})
