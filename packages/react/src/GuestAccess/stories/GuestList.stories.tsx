import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, within } from 'storybook/test'
import { GuestAccess } from '../GuestAccess.js'
import { expectGuestsStatus, findRow, guestStoryTarget, rowCells } from './guest-story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/guest-access.css'

/** A sponsor's guests (`scope=mine`): one row per status, as on 1 March 2026. */
const meta = {
  title: 'GuestAccess/Your guests',
  component: GuestAccess,
  args: guestStoryTarget,
} satisfies Meta<typeof GuestAccess>

export default meta
type Story = StoryObj<typeof meta>

/**
 * Every status: accepted with 90 days left (Extend, Remove), invited and ending in 3 days (flagged), being set up
 * without an end date, a review due (Keep or Remove), access being removed, removed, waiting for approval, denied.
 */
export const EveryStatus: Story = {
  // Status dots, warnings and buttons in Windows High Contrast too.
  parameters: { visual: { forcedColors: true } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('table', { name: 'Your guests' })
    await expect(rowCells(await findRow(canvasElement, 'ada@fabrikam.example'))).toEqual([
      'Accepted',
      'Access ends on May 30, 2026',
      'ExtendRemove',
    ])
    const grace = await findRow(canvasElement, 'grace@fabrikam.example')
    await expect(within(grace).getByText('Ends in 3 days')).toHaveAttribute('data-warning')
    await expect(
      within(await findRow(canvasElement, 'katherine@fabrikam.example')).getByText(
        'Review due by March 13, 2026: keep or remove?',
      ),
    ).toHaveAttribute('data-warning')
    await expect(rowCells(await findRow(canvasElement, 'hedy@fabrikam.example'))).toEqual([
      'Denied',
      'Comment: Use the supplier portal instead.',
      '',
    ])
    // Each button names its guest, and Tab reaches them in reading order.
    await expect(canvas.getByRole('button', { name: 'Keep katherine@fabrikam.example' })).toHaveTextContent(
      'Keep',
    )
    canvas.getByRole('button', { name: 'Extend ada@fabrikam.example' }).focus()
    await userEvent.tab()
    await expect(canvas.getByRole('button', { name: 'Remove ada@fabrikam.example' })).toHaveFocus()
    // The picture shows no focus ring.
    ;(document.activeElement as HTMLElement | null)?.blur()
    await expectGuestsStatus(canvasElement, 'ready')
  },
}

/** The first page has not arrived: the region is busy and says so. */
export const Loading: Story = {
  parameters: { bff: { options: { guests: { outcomes: { list: 'pending' } } } } },
  play: async ({ canvasElement }) => {
    const region = within(canvasElement).getByRole('region', { name: 'Your guests' })
    await expect(region).toHaveAttribute('aria-busy', 'true')
    await expect(within(region).getByText('Loading…')).toBeVisible()
    await expectGuestsStatus(canvasElement, 'loading')
  },
}

/** Nobody invited yet. */
export const Empty: Story = {
  parameters: { bff: { options: { guests: { guests: [] } } } },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText('You have not invited anyone yet.')).toBeVisible()
    await expect(within(canvasElement).queryByRole('table')).toBeNull()
  },
}

/** The list could not be read: the catalogued sentence, the reference for support, and Try again. */
export const ListFailed: Story = {
  parameters: { bff: { options: { guests: { outcomes: { list: 'upstream_unavailable' } } } } },
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole('alert')
    await expect(alert).toHaveAttribute('data-code', 'upstream_unavailable')
    await expect(alert).toHaveTextContent(
      'The guests could not be loadedMicrosoft Entra ID is unavailable right now. Try again in a few minutes.Reference: req-upstream_unavailable',
    )
    await expect(within(alert).getByRole('button', { name: 'Try again' })).toBeEnabled()
    await expectGuestsStatus(canvasElement, 'error')
  },
}
