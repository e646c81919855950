import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { GuestAccess } from '../GuestAccess.js'
import { expectAnnounced, findRow, guestStoryTarget, rowCells } from './guest-story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/guest-access.css'

/** An approver's queue (`view="approvals"`): the requests they may decide, with an optional comment. */
const meta = {
  title: 'GuestAccess/Approval queue',
  component: GuestAccess,
  args: { ...guestStoryTarget, view: 'approvals', onChanged: fn() },
} satisfies Meta<typeof GuestAccess>

export default meta
type Story = StoryObj<typeof meta>

/** Two requests waiting: who asked and when, their reason, the deadline, a comment field, Approve and Deny. */
export const Waiting: Story = {
  // Status dots, warnings and buttons in Windows High Contrast too.
  parameters: { visual: { forcedColors: true } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('table', { name: 'Requests waiting for your approval' })
    const alan = await findRow(canvasElement, 'alan@fabrikam.example')
    await expect(rowCells(alan)[1]).toBe(
      'Asked by Megan Bowen on February 28, 2026Reason: Cryptography review for the launch.Decide by March 3, 2026',
    )
    await expect(
      canvas.getByRole('textbox', { name: 'Comment on the request for alan@fabrikam.example' }),
    ).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Approve alan@fabrikam.example' })).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Deny alan@fabrikam.example' })).toBeVisible()
  },
}

/** Ada approved with a comment: the guest is invited, the row says so, and the other request still waits. */
export const Approved: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await userEvent.type(
      await canvas.findByRole('textbox', { name: 'Comment on the request for ada@fabrikam.example' }),
      'Until June',
    )
    await userEvent.click(canvas.getByRole('button', { name: 'Approve ada@fabrikam.example' }))
    await expectAnnounced(canvasElement, 'Approved: ada@fabrikam.example is invited.')
    await expect(rowCells(await findRow(canvasElement, 'ada@fabrikam.example'))[0]).toBe('Invited')
    await expect(args.onChanged).toHaveBeenCalledWith(
      expect.objectContaining({
        status: 'completed',
        approval: expect.objectContaining({ comment: 'Until June' }),
      }),
      'approve',
    )
    // Approve went away with the request: focus stays on the row's guest.
    await expect(canvas.getByRole('rowheader', { name: /ada@fabrikam\.example/ })).toHaveFocus()
    ;(document.activeElement as HTMLElement | null)?.blur()
  },
}

/** Nothing waits for this approver. */
export const NothingWaiting: Story = {
  parameters: { bff: { options: { guests: { approvals: [] } } } },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText('No request is waiting for you.')).toBeVisible()
  },
}
