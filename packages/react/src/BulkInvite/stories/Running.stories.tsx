import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { BulkInvite } from '../BulkInvite.js'
import { bulkStoryTarget, chooseAndStart, expectBulkStatus } from './bulk-story-helpers.js'

/** A 2,000-row job advancing on each poll: the bar, the counts and the time left. */
const meta = {
  title: 'BulkInvite/Running',
  component: BulkInvite,
  args: bulkStoryTarget,
  parameters: { bff: { options: { bulk: { totalRows: 2000, failedRows: 30, polls: 200 } } } },
} satisfies Meta<typeof BulkInvite>

export default meta
type Story = StoryObj<typeof meta>

export const Running: Story = {
  play: async ({ canvasElement }) => {
    await chooseAndStart(canvasElement)
    const canvas = within(canvasElement)
    const bar = await canvas.findByRole('progressbar', { name: 'Invitations' })
    await expect(bar).toHaveAttribute('max', '2000')
    // it advances with each poll
    await waitFor(() => expect(Number(bar.getAttribute('value'))).toBeGreaterThan(0), { timeout: 3_000 })
    await expect(bar).toHaveAccessibleDescription(
      /^[\d,]+ of 2,000 invited · \d+ failed · about \d+ min left$/,
    )
    await expect(canvas.getByRole('status')).toHaveTextContent('Inviting 2,000 guests.')
    await expect(canvas.getByRole('button', { name: 'Cancel the remaining invitations' })).toBeEnabled()
    await expectBulkStatus(canvasElement, 'running')
  },
}
