import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { BulkInvite } from '../BulkInvite.js'
import { bulkStoryTarget, chooseCsv, csvWithProblems, expectBulkStatus } from './bulk-story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/bulk.css'

/**
 * A file with a bad address, a duplicate and a bad cell: before anything is sent, the preview says for each row what
 * is wrong and where (the column's header name, the row, the value).
 */
const meta = {
  title: 'BulkInvite/Preview with problems',
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

export const PreviewWithProblems: Story = {
  play: async ({ canvasElement }) => {
    await chooseCsv(canvasElement, csvWithProblems)
    const canvas = within(canvasElement)
    const table = await canvas.findByRole('table', { name: 'The first 4 rows of guests.csv' })
    const rows = within(table).getAllByRole('row').slice(1)
    // what is wrong and where, one sentence each: the column's header name, the row and the value
    await expect(rows[1]).toHaveTextContent(
      "Email address to invite is not a valid email address (row 4: 'not-an-address').",
    )
    await expect(rows[2]).toHaveTextContent(
      "Email address to invite repeats row 3, which is the one invited (row 5: 'ADA@fabrikam.example').",
    )
    await expect(rows[3]).toHaveTextContent("Send invitation message must be true or false (row 6: 'maybe').")
    await expect(canvas.getByText('4 rows to invite · 3 with problems')).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Start inviting' })).toBeEnabled()
    await expectBulkStatus(canvasElement, 'ready')
  },
}
