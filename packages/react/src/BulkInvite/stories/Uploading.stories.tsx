import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { BulkInvite } from '../BulkInvite.js'
import { bulkStoryTarget, chooseAndStart, expectBulkStatus } from './bulk-story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/bulk.css'

/** While the file uploads (here the BFF never answers): Start is disabled and busy. */
const meta = {
  title: 'BulkInvite/Uploading',
  component: BulkInvite,
  args: bulkStoryTarget,
  parameters: {
    // Row status, drop zone and bar in Windows High Contrast too.
    visual: { forcedColors: true },
    bff: { options: { bulk: { scenario: 'uploadPending' } } },
  },
} satisfies Meta<typeof BulkInvite>

export default meta
type Story = StoryObj<typeof meta>

export const Uploading: Story = {
  play: async ({ canvasElement }) => {
    await chooseAndStart(canvasElement)
    const button = await within(canvasElement).findByRole('button', { name: 'Uploading…' })
    await expect(button).toBeDisabled()
    await expect(button).toHaveAttribute('aria-busy', 'true')
    await expectBulkStatus(canvasElement, 'uploading')
  },
}
