import type { Meta, StoryObj } from '@storybook/react-vite'
import { de } from '../packs/de.js'
import { bulkPreviewStory, shareDialogStory, withLocale } from './locale-stories.js'
// What a host app imports for these components (the built entries, as the README says).
import '@entra-share/react/styles.css'
import '@entra-share/react/bulk.css'

/** German: `import { de } from '@entra-share/react/locales/de'`, then `<EntraShareLocaleProvider packs={[de]}>`. */
const meta = {
  title: 'Locales/German',
  decorators: [withLocale(de)],
} satisfies Meta

export default meta

export const ShareDialog: StoryObj = shareDialogStory(de, '2 Schritte sind noch offen.')

export const BulkPreview: StoryObj = bulkPreviewStory(de, 'Die ersten 4 Zeilen von guests.csv')
