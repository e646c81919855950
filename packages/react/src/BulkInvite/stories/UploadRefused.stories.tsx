import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { testBrokenFileDetail } from '../../testing/bulk-handlers.js'
import { BulkInvite } from '../BulkInvite.js'
import { bulkStoryTarget, chooseAndStart, expectBulkStatus } from './bulk-story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/bulk.css'

/** The BFF refuses a broken file: the error summary says why in the server's words; another file can be chosen. */
const meta = {
  title: 'BulkInvite/Upload refused',
  component: BulkInvite,
  args: bulkStoryTarget,
  parameters: {
    // Row status, drop zone and bar in Windows High Contrast too.
    visual: { forcedColors: true },
    bff: { options: { bulk: { scenario: 'brokenFile' } } },
  },
} satisfies Meta<typeof BulkInvite>

export default meta
type Story = StoryObj<typeof meta>

export const UploadRefused: Story = {
  play: async ({ canvasElement }) => {
    await chooseAndStart(canvasElement)
    const canvas = within(canvasElement)
    const alert = await canvas.findByRole('alert')
    await expect(alert).toHaveAttribute('data-code', 'invalid_request')
    await expect(alert).toHaveTextContent('The file is not the bulk-invite template.')
    await expect(alert).toHaveTextContent(testBrokenFileDetail)
    await expect(canvas.getByLabelText('CSV file')).toBeEnabled()
    await expectBulkStatus(canvasElement, 'refused')
  },
}
