import { join } from 'node:path'
import { defineConfig } from 'vitest/config'

// `pnpm test:chaos`: kept out of the BFF's ordinary run (its include is `test/**/*.test.ts`) because it needs the
// built CLI, the machine's PostgreSQL and Redis, and about two minutes.
export default defineConfig({
  root: join(import.meta.dirname, '..', '..'),
  test: {
    include: ['test/chaos/**/*.chaos.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/loopback-only.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
