import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { BulkInvite } from '../BulkInvite.js'
import { bulkStoryTarget, expectBulkStatus } from './bulk-story-helpers.js'

/** Nothing chosen yet: a labelled file input for CSV files inside the drop zone. */
const meta = {
  title: 'BulkInvite/Empty',
  component: BulkInvite,
  args: bulkStoryTarget,
  parameters: { bff: { options: { bulk: {} } } },
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
