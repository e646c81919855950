import type { Meta, StoryObj } from '@storybook/react-vite'
import { fr } from '../packs/fr.js'
import { bulkPreviewStory, shareDialogStory, withLocale } from './locale-stories.js'
// What a host app imports for these components (the built entries, as the README says).
import '@entra-share/react/styles.css'
import '@entra-share/react/bulk.css'

/** French: `import { fr } from '@entra-share/react/locales/fr'`, then `<EntraShareLocaleProvider packs={[fr]}>`. */
const meta = {
  title: 'Locales/French',
  decorators: [withLocale(fr)],
} satisfies Meta

export default meta

export const ShareDialog: StoryObj = shareDialogStory(fr, '2\u00a0étapes restent à faire.')

export const BulkPreview: StoryObj = bulkPreviewStory(fr, 'Les 4 premières lignes de guests.csv')
