import type { Meta, StoryObj } from '@storybook/react-vite'
import { ja } from '../packs/ja.js'
import { bulkPreviewStory, shareDialogStory, withLocale } from './locale-stories.js'
// What a host app imports for these components (the built entries, as the README says).
import '@entra-share/react/styles.css'
import '@entra-share/react/bulk.css'

/**
 * Japanese: `import { ja } from '@entra-share/react/locales/ja'`, then `<EntraShareLocaleProvider packs={[ja]}>`.
 * One plural form: counts take a counter (件, 行).
 */
const meta = {
  title: 'Locales/Japanese',
  decorators: [withLocale(ja)],
} satisfies Meta

export default meta

export const ShareDialog: StoryObj = shareDialogStory(ja, '未完了のステップが 2 件あります。')

export const BulkPreview: StoryObj = bulkPreviewStory(ja, 'guests.csv の先頭 4 行')
