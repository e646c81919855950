import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { testGuests } from '../../testing/guest-handlers.js'
import { GuestAccess } from '../GuestAccess.js'
import { expectAnnounced, findRow, guestStoryTarget } from './guest-story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/guest-access.css'

/**
 * The sponsor's actions on a row: in flight, refused, and the confirm steps before an extension (the days to add)
 * and a removal.
 */
const meta = {
  title: 'GuestAccess/Actions',
  component: GuestAccess,
  args: guestStoryTarget,
  // Three guests are enough to show a row among others.
  parameters: { bff: { options: { guests: { guests: testGuests().slice(0, 3) } } } },
} satisfies Meta<typeof GuestAccess>

export default meta
type Story = StoryObj<typeof meta>

/** Extend pressed, the BFF still working: the button says so and keeps focus; the row's other buttons wait. */
export const ActionInFlight: Story = {
  parameters: {
    bff: { options: { guests: { guests: testGuests().slice(0, 3), outcomes: { extend: 'pending' } } } },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Extend ada@fabrikam.example' }))
    await userEvent.click(await canvas.findByRole('button', { name: 'Extend access' }))
    // Busy, the button is named by what it shows.
    const extend = await canvas.findByRole('button', { name: 'Extending…' })
    await expect(extend).toHaveAttribute('aria-busy', 'true')
    // Back from the confirm step, focus is on the button again.
    await waitFor(() => expect(extend).toHaveFocus())
    await expect(canvas.getByRole('button', { name: 'Remove ada@fabrikam.example' })).toHaveAttribute(
      'aria-disabled',
      'true',
    )
    await expect(canvas.getByRole('button', { name: 'Remove grace@fabrikam.example' })).not.toHaveAttribute(
      'aria-disabled',
    )
    extend.blur()
  },
}

/** The BFF refused: the catalogued sentence in the row, with the reference, and in the live region. */
export const ActionFailed: Story = {
  parameters: {
    bff: {
      options: {
        guests: { guests: testGuests().slice(0, 3), outcomes: { extend: 'extension_not_allowed' } },
      },
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Extend grace@fabrikam.example' }))
    await userEvent.click(await canvas.findByRole('button', { name: 'Extend access' }))
    const grace = await findRow(canvasElement, 'grace@fabrikam.example')
    await expect(await within(grace).findByText(/This access cannot be extended again\./)).toHaveAttribute(
      'data-code',
      'extension_not_allowed',
    )
    await expectAnnounced(canvasElement, 'grace@fabrikam.example: This access cannot be extended again.')
    ;(document.activeElement as HTMLElement | null)?.blur()
  },
}

/**
 * Extend asks for the days to add, in a modal dialog named with its guest: prefilled with the days first given and
 * focused; Esc or Cancel closes it and focus returns to Extend.
 */
export const ConfirmExtend: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Extend ada@fabrikam.example' }))
    const dialog = await canvas.findByRole('dialog', { name: 'Extend access for ada@fabrikam.example' })
    await expect(dialog).toHaveAttribute('open')
    const days = within(dialog).getByRole('spinbutton', { name: 'Days to add for ada@fabrikam.example' })
    await waitFor(() => expect(days).toHaveFocus())
    await expect(days).toHaveValue(90)
    await expect(days).toHaveAccessibleDescription('Access was first given for 90 days.')
    await expect(within(dialog).getByRole('button', { name: 'Extend access' })).toBeVisible()
  },
}

/** A number of days that is not one: refused in the dialog, on the field, and nothing is sent. */
export const ConfirmExtendRefused: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Extend ada@fabrikam.example' }))
    const dialog = await canvas.findByRole('dialog', { name: 'Extend access for ada@fabrikam.example' })
    const days = within(dialog).getByRole('spinbutton', { name: 'Days to add for ada@fabrikam.example' })
    await userEvent.clear(days)
    await userEvent.type(days, '0')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Extend access' }))
    await waitFor(() => expect(days).toHaveAttribute('aria-invalid', 'true'))
    await expect(days).toHaveAccessibleDescription(
      'Access was first given for 90 days. Enter a whole number from 1 to 3,650.',
    )
    await waitFor(() => expect(days).toHaveFocus())
  },
}

/** Remove asks first, in a modal dialog named by its question; focus starts on Cancel, the safe answer. */
export const ConfirmRemove: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Remove ada@fabrikam.example' }))
    const dialog = await canvas.findByRole('dialog', { name: 'Remove ada@fabrikam.example?' })
    await expect(dialog).toHaveAttribute('open')
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus())
    await expect(within(dialog).getByRole('button', { name: 'Remove access' })).toBeVisible()
  },
}
