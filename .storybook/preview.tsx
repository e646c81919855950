import { MsalProvider } from '@azure/msal-react'
import type { Decorator, Loader, Preview } from '@storybook/react-vite'
import { setupWorker } from 'msw/browser'
import {
  type BffHandlersOptions,
  bffHandlers,
  createMsalStandIn,
  type InviteScenario,
  type MsalStandIn,
  type MsalStandInOptions,
} from '../packages/react/src/testing/index.js'
import '../packages/react/src/ShareWithExternalUser/ShareWithExternalUser.css'

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

/** Wraps the story in msal-react's provider with the MSAL test double, and applies the theme and direction. */
const withMsalAndTheme: Decorator = (Story, { loaded, globals }) => {
  const dark = globals.theme === 'dark'
  return (
    <div
      data-theme={dark ? 'dark' : 'light'}
      dir={globals.direction === 'rtl' ? 'rtl' : 'ltr'}
      lang={globals.direction === 'rtl' ? 'he' : 'en'}
      style={{ padding: 16, background: dark ? '#1f1f1f' : '#fff', fontFamily: 'system-ui, sans-serif' }}
    >
      <MsalProvider instance={loaded.msal as MsalStandIn}>
        <Story />
      </MsalProvider>
    </div>
  )
}

const preview: Preview = {
  loaders: [mockBff],
  decorators: [withMsalAndTheme],
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
