import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { BulkInvite } from '../BulkInvite.js'
import { bulkStoryTarget, chooseAndStart, expectBulkStatus } from './bulk-story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/bulk.css'

/**
 * A 2,000-row job advancing on each poll (an eighth of the rows, every second): the bar, the counts and the time
 * left. The play function stops at the first poll, so its picture is always the same.
 */
const meta = {
  title: 'BulkInvite/Running',
  component: BulkInvite,
  args: { ...bulkStoryTarget, pollIntervalMs: 1_000 },
  parameters: {
    // Row status, drop zone and bar in Windows High Contrast too.
    visual: { forcedColors: true },
    bff: { options: { bulk: { totalRows: 2000, failedRows: 30, polls: 8 } } },
  },
} satisfies Meta<typeof BulkInvite>

export default meta
type Story = StoryObj<typeof meta>

export const Running: Story = {
  play: async ({ canvasElement }) => {
    await chooseAndStart(canvasElement)
    const canvas = within(canvasElement)
    const bar = await canvas.findByRole('progressbar', { name: 'Invitations' })
    await expect(bar).toHaveAttribute('max', '2000')
    // it advances with each poll: the first moves it by an eighth
    await waitFor(() => expect(bar).toHaveAttribute('value', '250'), { timeout: 3_000 })
    await expect(bar).toHaveAccessibleDescription('246 of 2,000 invited · 4 failed · about 3 min left')
    await expect(canvas.getByRole('status')).toHaveTextContent('Inviting 2,000 guests.')
    await expect(canvas.getByRole('button', { name: 'Cancel the remaining invitations' })).toBeEnabled()
    await expectBulkStatus(canvasElement, 'running')
  },
}
