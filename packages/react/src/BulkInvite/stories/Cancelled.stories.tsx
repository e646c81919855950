import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, within } from 'storybook/test'
import { BulkInvite } from '../BulkInvite.js'
import { bulkStoryTarget, chooseAndStart, expectBulkStatus } from './bulk-story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/bulk.css'

/**
 * Cancel while running: pending rows are not sent; the results can still be downloaded. (Cancelled before the first
 * poll, so none was sent yet and the picture is always the same.)
 */
const meta = {
  title: 'BulkInvite/Cancelled',
  component: BulkInvite,
  args: { ...bulkStoryTarget, pollIntervalMs: 60_000 },
  parameters: {
    // Row status, drop zone and bar in Windows High Contrast too.
    visual: { forcedColors: true },
    bff: { options: { bulk: { totalRows: 2000, failedRows: 0, polls: 1000 } } },
  },
} satisfies Meta<typeof BulkInvite>

export default meta
type Story = StoryObj<typeof meta>

export const Cancelled: Story = {
  play: async ({ canvasElement }) => {
    await chooseAndStart(canvasElement)
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Cancel the remaining invitations' }))
    await canvas.findByRole('heading', { name: 'Invitations cancelled' })
    await expect(canvas.getByText('0 invited · 0 failed · 2,000 not sent.')).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Download results' })).toBeEnabled()
    await expectBulkStatus(canvasElement, 'cancelled')
  },
}
