import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { BulkInvite } from '../BulkInvite.js'
import { bulkStoryTarget, chooseCsv, csvWithProblems, expectBulkStatus } from './bulk-story-helpers.js'

/** A file with a bad address, a duplicate and a bad cell: the preview names each row's problem before sending. */
const meta = {
  title: 'BulkInvite/Preview with problems',
  component: BulkInvite,
  args: bulkStoryTarget,
  parameters: { bff: { options: { bulk: {} } } },
} satisfies Meta<typeof BulkInvite>

export default meta
type Story = StoryObj<typeof meta>

export const PreviewWithProblems: Story = {
  play: async ({ canvasElement }) => {
    await chooseCsv(canvasElement, csvWithProblems)
    const canvas = within(canvasElement)
    const table = await canvas.findByRole('table', { name: 'The first 4 rows of guests.csv' })
    const rows = within(table).getAllByRole('row').slice(1)
    await expect(rows[1]).toHaveTextContent('The email address is missing or not valid.')
    await expect(rows[2]).toHaveTextContent('The address is already on row 3; it is invited once.')
    await expect(rows[3]).toHaveTextContent('A cell holds a value the column does not accept.')
    await expect(canvas.getByText('4 rows to invite · 3 with problems')).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Start inviting' })).toBeEnabled()
    await expectBulkStatus(canvasElement, 'ready')
  },
}
