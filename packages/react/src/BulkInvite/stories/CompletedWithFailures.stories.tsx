import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, waitFor, within } from 'storybook/test'
import { BulkInvite } from '../BulkInvite.js'
import { bulkStoryTarget, chooseAndStart } from './bulk-story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/bulk.css'

/** Finished with failures: rows refused at upload listed with their reasons, and the results to download. */
const meta = {
  title: 'BulkInvite/Completed with failures',
  component: BulkInvite,
  args: { ...bulkStoryTarget, onCompleted: fn() },
  parameters: {
    // Row status, drop zone and bar in Windows High Contrast too.
    visual: { forcedColors: true },

    bff: {
      options: {
        bulk: {
          totalRows: 120,
          failedRows: 5,
          polls: 2,
          rejectedRows: [
            {
              rowNumber: 7,
              email: 'someone@blocked.example',
              code: 'domain_not_allowed',
              detail: "Invitations to 'blocked.example' are not allowed (row 7: 'someone@blocked.example').",
            },
            {
              rowNumber: 12,
              email: 'ada@fabrikam.example',
              code: 'duplicate_in_file',
              detail:
                "Email address to invite repeats row 3, which is the one invited (row 12: 'ada@fabrikam.example').",
            },
          ],
        },
      },
    },
  },
} satisfies Meta<typeof BulkInvite>

export default meta
type Story = StoryObj<typeof meta>

export const CompletedWithFailures: Story = {
  play: async ({ canvasElement, args }) => {
    await chooseAndStart(canvasElement)
    const canvas = within(canvasElement)
    await canvas.findByRole('heading', { name: 'Invitations finished' }, { timeout: 5_000 })
    await expect(canvas.getByText('115 invited · 5 failed.')).toBeVisible()
    const refused = canvas.getByRole('table', { name: 'Rows refused at upload' })
    const [, blocked, repeated] = within(refused).getAllByRole('row')
    await expect(blocked).toHaveTextContent(
      "Invitations to 'blocked.example' are not allowed (row 7: 'someone@blocked.example').",
    )
    // one sentence: the server's detail, not the code's sentence before it
    await expect(repeated?.querySelector('td:last-child')).toHaveTextContent(
      /^Email address to invite repeats row 3, which is the one invited \(row 12: 'ada@fabrikam\.example'\)\.$/,
    )
    await expect(canvas.getByRole('button', { name: 'Download results' })).toBeEnabled()
    await expect(canvas.getByRole('status')).toHaveTextContent('Invitations finished: 115 invited, 5 failed.')
    await waitFor(() => expect(args.onCompleted).toHaveBeenCalledTimes(1))
  },
}
