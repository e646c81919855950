import type { StorybookConfig } from '@storybook/react-vite'

/**
 * Storybook for `@entra-share/react` and its Fluent UI variant `@entra-share/fluent`: stories and the integration
 * guide live beside the components.
 */
const config: StorybookConfig = {
  stories: [
    '../packages/react/src/**/*.mdx',
    '../packages/react/src/**/*.stories.tsx',
    '../packages/fluent/src/**/*.stories.tsx',
  ],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  // mockServiceWorker.js (from `msw init`): the BFF is answered in the browser by the package's MSW handlers.
  staticDirs: ['./public'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  typescript: { reactDocgen: 'react-docgen-typescript' },
}

export default config
