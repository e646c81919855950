import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // `next build` runs in beforeAll: about 20 s on an idle 2-core machine, much more on a loaded one.
    hookTimeout: 240_000,
    testTimeout: 60_000,
    pool: 'forks',
  },
})
