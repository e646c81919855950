import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, within } from 'storybook/test'
import { testInvitation } from '../../testing/bff-handlers.js'
import { ShareWithExternalUser } from '../ShareWithExternalUser.js'
import { expectFocused, expectStatus, fillAndShare, formReady, storyTarget } from './story-helpers.js'

/** Microsoft emailed the guest: the success view with the redeem URL, a Copy button and the object id. */
const meta = {
  title: 'ShareWithExternalUser/Success, email sent',
  component: ShareWithExternalUser,
  args: { ...storyTarget, onInvited: fn(), onError: fn() },
  parameters: { bff: { scenario: 'emailSent' } },
} satisfies Meta<typeof ShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

const invitation = testInvitation()

export const EmailSent: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await formReady(canvasElement)
    await fillAndShare(canvasElement)
    await expectFocused(await canvas.findByRole('heading', { name: 'Invitation sent' }))
    await expect(canvas.getByText('Microsoft emailed an invitation to ada@fabrikam.example.')).toBeVisible()
    await expect(canvas.getByText(invitation.inviteRedeemUrl)).toBeVisible()
    await expect(canvas.getByText(invitation.invitedUserId)).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Copy link' })).toBeEnabled()
    await expect(canvas.getByRole('status')).toHaveTextContent('Invitation sent.')
    await expectStatus(canvasElement, 'success')
    await expect(args.onInvited).toHaveBeenCalledOnce()
  },
}

/** The guest is invited but a group membership is still being retried by the BFF. */
export const Partial: Story = {
  parameters: { bff: { scenario: 'partial' } },
  play: async ({ canvasElement }) => {
    await formReady(canvasElement)
    await fillAndShare(canvasElement)
    await expect(
      await within(canvasElement).findByText('Some access is still being set up and will finish shortly.'),
    ).toBeVisible()
  },
}
