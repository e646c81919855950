/// <reference types="vite/client" />

import { MsalProvider } from '@azure/msal-react'
import monoFontUrl from '@fontsource/dejavu-mono/files/dejavu-mono-latin-400-normal.woff2?url'
import regularFontUrl from '@fontsource/dejavu-sans/files/dejavu-sans-latin-400-normal.woff2?url'
import boldFontUrl from '@fontsource/dejavu-sans/files/dejavu-sans-latin-700-normal.woff2?url'
import type { Decorator, Loader, Preview } from '@storybook/react-vite'
import { setupWorker } from 'msw/browser'
import { type ReactNode, useSyncExternalStore } from 'react'
import { MsalEntraShareProvider } from '../packages/react/src/msal/index.js'
import {
  type BffHandlersOptions,
  bffHandlers,
  createMsalStandIn,
  type InviteScenario,
  type MsalStandIn,
  type MsalStandInOptions,
} from '../packages/react/src/testing/index.js'
import { runAfterPlay, type StoryMode, storyModeOverride } from '../packages/react/test/visual/story-modes.js'
import unicodeRanges from './fonts/unicode-ranges.json'
import './story-frame.css'

// No component stylesheet here: each story file imports the CSS entry a host app would (`@entra-share/react/…css`).

const worker = setupWorker()
let workerStarted: Promise<unknown> | undefined

/**
 * Starts the MSW service worker once, then answers the BFF as the story's parameters say:
 * - `bff`: `{ scenario, options }` for `bffHandlers(scenario, options)` (default `emailSent`);
 * - `msal`: the script of the MSAL test double, `createMsalStandIn(options)` (default: signed in, tokens granted).
 */
const mockBff: Loader = async ({ parameters }) => {
  const bff = parameters.bff as { scenario?: InviteScenario; options?: BffHandlersOptions } | undefined
  workerStarted ??= worker.start({
    // Relative to the preview page in Storybook ('./'), the server root under Vitest ('/').
    serviceWorker: {
      // biome-ignore lint/suspicious/noUndeclaredEnvVars: Vite's base path, not an environment variable
      url: new URL(`${import.meta.env.BASE_URL}mockServiceWorker.js`, window.location.href).href,
    },
    onUnhandledRequest: 'bypass',
    quiet: true,
  })
  await workerStarted
  worker.resetHandlers(...bffHandlers(bff?.scenario ?? 'emailSent', bff?.options))
  return { msal: createMsalStandIn(parameters.msal as MsalStandInOptions | undefined) }
}

let fontsLoaded: Promise<unknown> | undefined

/** The subsets of Noto Sans JP the Japanese stories need (vendored in `fonts/`, OFL), by file name. */
const japaneseSubsets = import.meta.glob<string>('./fonts/noto-sans-jp-*-400-normal.woff2', {
  query: '?url',
  import: 'default',
  eager: true,
})
const arabicRegularUrl = new URL('./fonts/noto-sans-arabic-arabic-400-normal.woff2', import.meta.url).href
const arabicBoldUrl = new URL('./fonts/noto-sans-arabic-arabic-700-normal.woff2', import.meta.url).href

/** Noto Sans Arabic and the Japanese subsets, each face with its `unicode-range`, so only they draw those scripts. */
function scriptFaces(): FontFace[] {
  const japanese = Object.entries(japaneseSubsets).map(([path, url]) => {
    const file = path.split('/').at(-1) ?? path
    const range = (unicodeRanges.jp as Record<string, string>)[file]
    if (!range) throw new Error(`preview: no unicode-range for ${file} in fonts/unicode-ranges.json`)
    return new FontFace('Story JP', `url(${url}) format('woff2')`, { weight: '400', unicodeRange: range })
  })
  const arabic = [
    ['400', arabicRegularUrl],
    ['700', arabicBoldUrl],
  ].map(
    ([weight, url]) =>
      new FontFace('Story Arabic', `url(${url}) format('woff2')`, {
        weight,
        unicodeRange: unicodeRanges.arabic,
      }),
  )
  return [...arabic, ...japanese]
}

/**
 * The frame's fonts, DejaVu Sans and DejaVu Sans Mono from `@fontsource` (Latin, Hebrew and the marks the
 * components draw), then Noto Sans Arabic and Noto Sans JP (vendored subsets) for the Arabic and Japanese stories,
 * under family names no machine has installed (`story-frame.css` uses them): loaded before the
 * first story renders, so no story is drawn with a system font and screenshots match across machines.
 */
const loadFonts: Loader = async () => {
  fontsLoaded ??= Promise.all(
    [
      new FontFace('Story Sans', `url(${regularFontUrl}) format('woff2')`, { weight: '400' }),
      new FontFace('Story Sans', `url(${boldFontUrl}) format('woff2')`, { weight: '700' }),
      new FontFace('Story Mono', `url(${monoFontUrl}) format('woff2')`, { weight: '400' }),
      ...scriptFaces(),
    ].map((face) => {
      document.fonts.add(face)
      return face.load()
    }),
  )
  await fontsLoaded
  return {}
}

/** The host page around a story: theme (`data-theme`), direction and the page background, from the toolbar. */
function StoryFrame({ mode, children }: { mode: StoryMode; children: ReactNode }) {
  // The visual test re-renders the frame in each mode; the story inside keeps its state.
  const override = useSyncExternalStore(storyModeOverride.subscribe, storyModeOverride.get)
  const { theme, direction } = { ...mode, ...override }
  return (
    <div
      className="sb-StoryFrame"
      data-theme={theme}
      dir={direction}
      lang={direction === 'rtl' ? 'he' : 'en'}
    >
      {children}
    </div>
  )
}

/** Wraps the story in msal-react's provider with the MSAL test double and its token seam, in the themed frame. */
const withMsalAndTheme: Decorator = (Story, { loaded, globals }) => (
  <StoryFrame
    mode={{
      theme: globals.theme === 'dark' ? 'dark' : 'light',
      direction: globals.direction === 'rtl' ? 'rtl' : 'ltr',
    }}
  >
    <MsalProvider instance={loaded.msal as MsalStandIn}>
      <MsalEntraShareProvider>
        <Story />
      </MsalEntraShareProvider>
    </MsalProvider>
  </StoryFrame>
)

const preview: Preview = {
  loaders: [mockBff, loadFonts],
  decorators: [withMsalAndTheme],
  // Runs before the a11y addon's check: the screenshots picture the state the play function left.
  afterEach: runAfterPlay,
  globalTypes: {
    theme: {
      description: 'Colour theme (sets data-theme on an ancestor)',
      toolbar: { title: 'Theme', icon: 'mirror', items: ['light', 'dark'], dynamicTitle: true },
    },
    direction: {
      description: 'Text direction',
      toolbar: { title: 'Direction', icon: 'transfer', items: ['ltr', 'rtl'], dynamicTitle: true },
    },
  },
  initialGlobals: { theme: 'light', direction: 'ltr' },
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true },
    // Accessibility violations (contrast included, in the real browser) fail the story's test.
    a11y: { test: 'error' },
  },
}

export default preview
