import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { ShareWithExternalUser } from '../ShareWithExternalUser.js'
import { expectFocused, expectStatus, findAlert, formReady, storyTarget } from './story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/styles.css'

/** The browser checks the fields with the server's own constants before anything is sent. */
const meta = {
  title: 'ShareWithExternalUser/Validation errors',
  component: ShareWithExternalUser,
  args: { ...storyTarget, onInvited: fn(), onError: fn() },
  parameters: { bff: { scenario: 'emailSent' } },
} satisfies Meta<typeof ShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

export const EmptyEmail: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await formReady(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Share' }))
    const email = canvas.getByLabelText('Email address')
    await expect(email).toHaveAttribute('aria-invalid', 'true')
    await expect(email).toHaveAccessibleDescription(expect.stringContaining('Enter an email address.'))
    await expectFocused(email)
    await expect(await findAlert(canvasElement)).toHaveTextContent('Check the highlighted fields.')
    await expectStatus(canvasElement, 'idle')
    await expect(args.onInvited).not.toHaveBeenCalled()
  },
}

export const InvalidEmailAndLongName: Story = {
  args: { defaultValues: { email: 'ada@fabrikam', displayName: 'x'.repeat(257) } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await formReady(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Share' }))
    await expect(canvas.getByLabelText('Email address')).toHaveAccessibleDescription(
      expect.stringContaining('Enter an email address like name@example.com.'),
    )
    await expect(canvas.getByLabelText('Name')).toHaveAccessibleDescription(
      expect.stringContaining('Use at most 256 characters.'),
    )
  },
}

/** The server's field errors (`invalid_request` with `errors`) appear on their field. */
export const ServerFieldError: Story = {
  args: { defaultValues: { email: 'ada@fabrikam.example', displayName: 'Ada Lovelace' } },
  parameters: { bff: { scenario: 'invalid_request' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await formReady(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Share' }))
    await expect(await findAlert(canvasElement)).toHaveAttribute('data-code', 'invalid_request')
    await waitFor(() =>
      expect(canvas.getByLabelText('Email address')).toHaveAccessibleDescription(
        expect.stringContaining('email must be a valid address.'),
      ),
    )
  },
}
