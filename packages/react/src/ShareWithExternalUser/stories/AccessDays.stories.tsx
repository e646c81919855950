import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { testConfig } from '../../testing/bff-handlers.js'
import { ShareWithExternalUser } from '../ShareWithExternalUser.js'
import { expectFocused, formReady, storyTarget } from './story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/styles.css'

/** A preset without an end, and one whose access lasts 90 days at most (the BFF's `accessDays`). */
const config = testConfig({
  presets: [
    { id: 'apollo', label: 'Project Apollo', groupCount: 2 },
    { id: 'apollo-90', label: 'Project Apollo (90 days)', groupCount: 1, accessDays: 90 },
  ],
})

/**
 * A preset with an access term: the form asks for how many days, up to the preset's; left empty, the preset's days
 * apply. The value is sent as the request's `accessDays` only when filled.
 */
const meta = {
  title: 'ShareWithExternalUser/Access days',
  component: ShareWithExternalUser,
  args: { ...storyTarget, onInvited: fn(), onError: fn() },
  parameters: { bff: { scenario: 'emailSent', options: { config } } },
} satisfies Meta<typeof ShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

/** The 90-day preset chosen: the days field appears under Access, with its limit and its default. */
export const DaysOffered: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await formReady(canvasElement)
    await expect(canvas.queryByLabelText('Access for (days)')).toBeNull()
    await userEvent.selectOptions(canvas.getByLabelText('Access'), 'apollo-90')
    const days = await canvas.findByLabelText('Access for (days)')
    await expect(days).toHaveAttribute('max', '90')
    await expect(days).toHaveAccessibleDescription('Up to 90 days; leave empty for 90.')
    await userEvent.type(days, '30')
    days.blur()
  },
}

/** More days than the preset grants: refused on the field, which takes focus; nothing is sent. */
export const DaysOutOfRange: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await formReady(canvasElement)
    await userEvent.selectOptions(canvas.getByLabelText('Access'), 'apollo-90')
    await userEvent.type(canvas.getByLabelText('Email address'), 'ada@fabrikam.example')
    const days = await canvas.findByLabelText('Access for (days)')
    await userEvent.type(days, '120')
    await userEvent.click(canvas.getByRole('button', { name: 'Share' }))
    await expectFocused(days)
    await expect(days).toHaveAttribute('aria-invalid', 'true')
    await waitFor(() =>
      expect(canvas.getByText('Enter a whole number from 1 to 90, or leave it empty.')).toBeVisible(),
    )
    await expect(args.onInvited).not.toHaveBeenCalled()
    days.blur()
  },
}
