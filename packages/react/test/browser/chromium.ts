// The one Chromium launcher of the repo's Playwright tests; the Storybook provider and the browser tests use it.
export { chromiumLaunchOptions } from '@entra-share/emulator/testing'
