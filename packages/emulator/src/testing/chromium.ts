/**
 * Playwright launch options for Debian's Chromium, headless, with nothing reaching beyond 127.0.0.1
 * (`playwright install` cannot download here, and the background services would call Google).
 *
 * @example
 * import { chromium } from 'playwright-core'
 * import { chromiumLaunchOptions } from '@entra-share/emulator/testing'
 * const browser = await chromium.launch(chromiumLaunchOptions)
 */
export const chromiumLaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
}
