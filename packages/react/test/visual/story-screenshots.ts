/**
 * Visual regression for every story (a setup file of the `storybook` Vitest project). After a story's play function,
 * before the a11y addon's check, the rendered story is pictured in light, dark and right-to-left (and in forced
 * colours when its parameters say `visual: { forcedColors: true }`) and compared with the committed baselines in
 * `test/visual/__screenshots__`; `pnpm --filter @entra-share/react test:visual --update` rewrites them. A changed
 * picture fails the story, with the reference, actual and diff images under `test-results/visual/`. The story is
 * then checked for colour contrast in dark too, where the a11y addon sees only the story's own mode. (In forced
 * colours axe reads author colours against forced backgrounds, so the picture is the check there.)
 */
import axe from 'axe-core'
import { expect } from 'vitest'
import { commands, page } from 'vitest/browser'
import { installPageTimers } from './page-timers.js'
import { type StoryModeOverride, setAfterPlay, storyModeOverride } from './story-modes.js'

declare module 'vitest/browser' {
  interface BrowserCommands {
    /** Emulates `forced-colors: active` (Windows High Contrast) in the page, or turns it off. */
    emulateForcedColors: (active: boolean) => Promise<void>
  }
}

/** The story parameters this file reads. */
export interface VisualParameters {
  /** Picture the story in forced colours (Windows High Contrast) too. @default false */
  forcedColors?: boolean
  /**
   * Why the story is not pictured (its text needs a font the stories do not pin, so its picture would depend on the
   * machine's fonts); its play function and a11y checks still run.
   */
  skip?: string
  /**
   * Picture the story in its own mode only, named after the story alone, and leave out the dark contrast pass: the
   * story sets its theme itself (the Fluent stories, one per Fluent theme, where the frame's modes change nothing).
   * @default false
   */
  ownModeOnly?: boolean
}

/** Each picture overrides one side of the story's own mode: dark keeps a right-to-left story right-to-left. */
const pictures: [name: string, override: StoryModeOverride][] = [
  ['light', { theme: 'light' }],
  ['dark', { theme: 'dark' }],
  ['rtl', { direction: 'rtl' }],
]

/** The one picture of an `ownModeOnly` story: no override, no mode in its name. */
const ownMode: [name: string, override: StoryModeOverride][] = [['', null]]

const timers = installPageTimers()

/** Renders the frame in `override` and waits until the browser has painted it. */
async function showMode(override: StoryModeOverride): Promise<void> {
  storyModeOverride.set(override)
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
  await document.fonts.ready
}

/** The contrast problems axe finds in `element`, one line each. */
async function contrastProblems(element: HTMLElement): Promise<string[]> {
  const results = await axe.run(element, { runOnly: { type: 'rule', values: ['color-contrast'] } })
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? violation.help}`),
  )
}

setAfterPlay(async (context) => {
  const frame = context.canvasElement.querySelector<HTMLElement>('.sb-StoryFrame')
  if (!frame)
    throw new Error('story-screenshots: the story has no .sb-StoryFrame; is the preview decorator applied?')
  // An open modal dialog sits in the top layer, outside the frame's box (a Fluent dialog in a portal, outside the
  // frame): picture the dialog instead.
  const subject =
    frame.querySelector<HTMLElement>('dialog[open]') ??
    document.querySelector<HTMLElement>('[role="dialog"][aria-modal="true"]') ??
    frame
  const name = context.id.split('--')[1] ?? context.id
  const visual = context.parameters.visual as VisualParameters | undefined
  if (visual?.skip) return
  const forcedColors = visual?.forcedColors === true
  const ownModeOnly = visual?.ownModeOnly === true
  const failures: string[] = []
  const picture = async (mode: string) => {
    try {
      await expect.element(page.elementLocator(subject)).toMatchScreenshot(mode ? `${name}-${mode}` : name)
    } catch (error) {
      failures.push(`${mode || 'own mode'}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  try {
    timers.hold()
    for (const [mode, override] of ownModeOnly ? ownMode : pictures) {
      await showMode(override)
      await picture(mode)
    }
    if (forcedColors) {
      await commands.emulateForcedColors(true)
      try {
        await showMode(null)
        await picture('forced-colors')
      } finally {
        await commands.emulateForcedColors(false)
      }
    }
    timers.release()
    if (!ownModeOnly) {
      await showMode({ theme: 'dark' })
      for (const problem of await contrastProblems(frame)) failures.push(`contrast in dark: ${problem}`)
    }
  } finally {
    timers.release()
    await showMode(null)
  }
  if (failures.length > 0) throw new Error(`${context.title} › ${context.name}:\n${failures.join('\n')}`)
})
