import { defineConfig } from 'vitest/config'

// The unit tests, in jsdom against the BFF's MSW handlers. The stories (`src/**/*.stories.tsx`) run in Chromium
// with the a11y checks and screenshots, in @entra-share/react's `storybook` project over the root .storybook.
export default defineConfig({
  test: {
    name: 'unit',
    environment: 'jsdom',
    setupFiles: ['./test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    testTimeout: 15_000,
  },
})
