import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/loopback-only.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One module graph for all files, in one process: importing it per file took 90 of the suite's 490 s in CI.
    // Each test file starts its own emulator and BFF; no test relies on a fresh module state.
    isolate: false,
  },
})
