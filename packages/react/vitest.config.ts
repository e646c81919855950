import { basename, dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'
import type { BrowserCommand } from 'vitest/node'
import { chromiumLaunchOptions } from './test/browser/chromium.js'
import { anySizePixelmatch } from './test/visual/any-size-pixelmatch.js'

const packageDir = fileURLToPath(new URL('.', import.meta.url))

/**
 * A story folder's place under the screenshot folders: `<component>` for this package's stories
 * (`src/ShareWithExternalUser/stories`), `<package>/<component>` for another package's in the root Storybook
 * (`packages/fluent/src/FluentShareButton/stories` → `fluent/FluentShareButton`).
 */
function storyFolder(storyDirectory: string): string {
  const [pkg = '', , ...rest] = relative(dirname(packageDir), storyDirectory).split(sep)
  const component = dirname(join(...rest))
  return pkg === basename(packageDir) ? component : join(pkg, component)
}

/** Where a story file's screenshots go: `<dir>/<component>/<story file>/<story>-<mode>-chromium-linux.png`. */
function storyScreenshotPath(dir: string) {
  return (data: {
    arg: string
    ext: string
    root: string
    testFileDirectory: string
    testFileName: string
    browserName: string
    platform: string
  }) => {
    return join(
      dir,
      storyFolder(join(data.root, data.testFileDirectory)),
      data.testFileName,
      `${data.arg}-${data.browserName}-${data.platform}${data.ext}`,
    )
  }
}

/** `commands.emulateForcedColors(active)` for the visual test's contrast check in forced colours. */
const emulateForcedColors: BrowserCommand<[active: boolean]> = async (context, active) => {
  if (context.provider.name !== 'playwright')
    throw new Error('emulateForcedColors needs the Playwright provider.')
  await context.page.emulateMedia({ forcedColors: active ? 'active' : 'none' })
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'jsdom',
          // One jsdom and one module graph for all files: setting them up per file was most of the project's time.
          isolate: false,
          setupFiles: ['./test/setup.ts'],
          include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
          exclude: ['test/browser/**'],
          testTimeout: 15_000,
        },
      },
      {
        // Every story of the root Storybook is a test: its play function and the a11y checks, in real Chromium.
        plugins: [storybookTest({ configDir: fileURLToPath(new URL('../../.storybook', import.meta.url)) })],
        test: {
          name: 'storybook',
          isolate: false,
          // After each play function: screenshots in light, dark and right-to-left against the baselines.
          setupFiles: [join(packageDir, 'test/visual/story-screenshots.ts')],
          // Where Vitest copies a failed picture's images for its report (under the git-ignored test-results).
          attachmentsDir: join(packageDir, 'test-results/attachments'),
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: {
                ...chromiumLaunchOptions,
                // Glyphs drawn the same whatever the machine's fontconfig says (hinting, subpixel text).
                args: [
                  ...chromiumLaunchOptions.args,
                  '--font-render-hinting=none',
                  '--disable-lcd-text',
                  '--disable-font-subpixel-positioning',
                  '--force-color-profile=srgb',
                  '--force-device-scale-factor=1',
                  '--hide-scrollbars',
                ],
              },
            }),
            instances: [{ browser: 'chromium' }],
            commands: { emulateForcedColors },
            expect: {
              toMatchScreenshot: {
                // pixelmatch, with a diff image also when a story's size changed.
                comparatorName: 'anySizePixelmatch',
                comparators: { anySizePixelmatch },
                // A small tolerance: per-pixel colour distance 0.1, and at most 0.1 % of the pixels.
                comparatorOptions: { threshold: 0.1, allowedMismatchedPixelRatio: 0.001 },
                screenshotOptions: { animations: 'disabled', caret: 'hide', scale: 'css' },
                resolveScreenshotPath: storyScreenshotPath(join(packageDir, 'test/visual/__screenshots__')),
                resolveDiffPath: storyScreenshotPath(join(packageDir, 'test-results/visual')),
              },
            },
          },
          testTimeout: 20_000,
        },
      },
      {
        // Issue 4's acceptance: real msal-browser, the emulator and the real BFF, driven through Playwright.
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['./test/browser/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
