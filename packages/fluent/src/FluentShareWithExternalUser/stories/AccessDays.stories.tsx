import { testBffUrl, testConfig } from '@entra-share/react/testing'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { emailField, expectFocused, fluentMeta, formReady, inTheme } from '../../stories/fluent-stories.js'
import { FluentShareWithExternalUser } from '../FluentShareWithExternalUser.js'

/** A preset without an end, and one whose access lasts 90 days at most (the BFF's `accessDays`). */
const config = testConfig({
  presets: [
    { id: 'apollo', label: 'Project Apollo', groupCount: 2 },
    { id: 'apollo-90', label: 'Project Apollo (90 days)', groupCount: 1, accessDays: 90 },
  ],
})

/**
 * A preset with an access term: a number `Input` asks for the days, up to the preset's (empty: the preset's days).
 * More than that is refused on the field, which takes focus, and nothing is sent.
 */
const meta = {
  title: 'Fluent/ShareWithExternalUser/Access days',
  component: FluentShareWithExternalUser,
  ...fluentMeta,
  args: { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'], onInvited: fn(), onError: fn() },
  parameters: { ...fluentMeta.parameters, bff: { scenario: 'emailSent', options: { config } } },
} satisfies Meta<typeof FluentShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

const story: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await formReady(canvasElement)
    await userEvent.click(canvas.getByRole('combobox', { name: 'Access' }))
    // The listbox is in a Fluent portal, outside the canvas.
    await userEvent.click(
      await within(document.body).findByRole('option', { name: 'Project Apollo (90 days)' }),
    )
    const days = canvas.getByRole('spinbutton', { name: 'Access for (days)' })
    await expect(days).toHaveAccessibleDescription('Up to 90 days; leave empty for 90.')
    await userEvent.type(emailField(canvasElement), 'ada@fabrikam.example')
    await userEvent.type(days, '120')
    await userEvent.click(canvas.getByRole('button', { name: 'Share' }))
    await expectFocused(days)
    await expect(days).toHaveAttribute('aria-invalid', 'true')
    await expect(days).toHaveAccessibleDescription(
      'Enter a whole number from 1 to 90, or leave it empty. Up to 90 days; leave empty for 90.',
    )
    await expect(args.onInvited).not.toHaveBeenCalled()
    days.blur()
  },
}

export const WebLight = inTheme('webLight', story)
export const WebDark = inTheme('webDark', story)
export const TeamsHighContrast = inTheme('teamsHighContrast', story)
