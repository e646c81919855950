import type { Meta, StoryObj } from '@storybook/react-vite'
import { en } from '../packs/en.js'
import { bulkPreviewStory, shareDialogStory, withLocale } from './locale-stories.js'
// What a host app imports for these components (the built entries, as the README says).
import '@entra-share/react/styles.css'
import '@entra-share/react/bulk.css'

/** English, built in: `<EntraShareLocaleProvider packs={[]} locale="en">` needs no pack. */
const meta = {
  title: 'Locales/English',
  decorators: [withLocale(en, true)],
} satisfies Meta

export default meta

export const ShareDialog: StoryObj = shareDialogStory(en, 'Steps still to do: 2.')

export const BulkPreview: StoryObj = bulkPreviewStory(en, 'The first 4 rows of guests.csv')
