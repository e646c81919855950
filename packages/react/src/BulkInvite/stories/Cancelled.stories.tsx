import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, within } from 'storybook/test'
import { BulkInvite } from '../BulkInvite.js'
import { bulkStoryTarget, chooseAndStart, expectBulkStatus } from './bulk-story-helpers.js'

/** Cancel while running: pending rows are not sent; the results can still be downloaded. */
const meta = {
  title: 'BulkInvite/Cancelled',
  component: BulkInvite,
  args: bulkStoryTarget,
  parameters: { bff: { options: { bulk: { totalRows: 2000, failedRows: 0, polls: 1000 } } } },
} satisfies Meta<typeof BulkInvite>

export default meta
type Story = StoryObj<typeof meta>

export const Cancelled: Story = {
  play: async ({ canvasElement }) => {
    await chooseAndStart(canvasElement)
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Cancel the remaining invitations' }))
    await canvas.findByRole('heading', { name: 'Invitations cancelled' })
    await expect(canvas.getByText(/invited · 0 failed · [\d,]+ not sent\./)).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Download results' })).toBeEnabled()
    await expectBulkStatus(canvasElement, 'cancelled')
  },
}
