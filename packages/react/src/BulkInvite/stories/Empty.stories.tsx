import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fireEvent, within } from 'storybook/test'
import { BulkInvite } from '../BulkInvite.js'
import { bulkStoryTarget, expectBulkStatus } from './bulk-story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/bulk.css'

/** Nothing chosen yet: a labelled file input for CSV files inside the drop zone. */
const meta = {
  title: 'BulkInvite/Empty',
  component: BulkInvite,
  args: bulkStoryTarget,
  parameters: {
    // Row status, drop zone and bar in Windows High Contrast too.
    visual: { forcedColors: true },
    bff: { options: { bulk: {} } },
  },
} satisfies Meta<typeof BulkInvite>

export default meta
type Story = StoryObj<typeof meta>

export const Empty: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Invite guests from a file' })).toBeVisible()
    const input = canvas.getByLabelText('CSV file')
    await expect(input).toHaveAttribute('accept', '.csv,text/csv')
    input.focus()
    await expect(input).toHaveFocus()
    await expect(canvas.queryByRole('button', { name: 'Start inviting' })).not.toBeInTheDocument()
    await expectBulkStatus(canvasElement, 'idle')
  },
}

/** A file dragged over the drop zone: the border turns solid and the zone deepens; the hint says to drop it. */
export const DraggingAFile: Story = {
  play: async ({ canvasElement }) => {
    const zone = canvasElement.querySelector('.es-Bulk__drop') as HTMLElement
    fireEvent.dragOver(zone, { dataTransfer: new DataTransfer() })
    await expect(zone).toHaveAttribute('data-dragging')
    await expect(within(zone).getByText('Drop the file to preview it.')).toBeVisible()
  },
}
