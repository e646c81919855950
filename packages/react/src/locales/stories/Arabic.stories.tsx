import type { Meta, StoryObj } from '@storybook/react-vite'
import { formatNumber } from '../../format.js'
import { ar } from '../packs/ar.js'
import { bulkPreviewStory, shareDialogStory, withLocale } from './locale-stories.js'
// What a host app imports for these components (the built entries, as the README says).
import '@entra-share/react/styles.css'
import '@entra-share/react/bulk.css'

/**
 * Arabic, right to left: `import { ar } from '@entra-share/react/locales/ar'`, then
 * `<EntraShareLocaleProvider packs={[ar]}>`. Each component's root (and the dialog) gets `dir="rtl"` whatever the
 * page's direction; counts take Arabic's forms: two steps are the dual (خطوتان), four rows the plural (صفوف).
 */
const meta = {
  title: 'Locales/Arabic',
  decorators: [withLocale(ar)],
} satisfies Meta

export default meta

export const ShareDialog: StoryObj = shareDialogStory(ar, 'ما زالت خطوتان لم تكتملا.')

// The digits are the reader's: Intl chooses Latin or Arabic-Indic ones for `ar`.
export const BulkPreview: StoryObj = bulkPreviewStory(ar, `أول ${formatNumber(4, 'ar')} صفوف من guests.csv`)
