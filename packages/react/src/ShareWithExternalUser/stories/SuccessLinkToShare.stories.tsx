import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { testConfig, testInvitation } from '../../testing/bff-handlers.js'
import { ShareWithExternalUser } from '../ShareWithExternalUser.js'
import { expectFocused, expectStatus, fillAndShare, storyTarget } from './story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/styles.css'

/** Nobody emailed the guest (the BFF's `emailMode` is `none`): the inviter sends the link themselves. */
const meta = {
  title: 'ShareWithExternalUser/Success, link to share',
  component: ShareWithExternalUser,
  args: { ...storyTarget, onInvited: fn(), onError: fn() },
  parameters: {
    bff: { scenario: 'linkToShare', options: { config: testConfig({ presets: [], emailMode: 'none' }) } },
  },
} satisfies Meta<typeof ShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

export const LinkToShare: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await fillAndShare(canvasElement)
    await expectFocused(await canvas.findByRole('heading', { name: 'Invitation ready to share' }))
    await expect(
      canvas.getByText('No email was sent: send this link to ada@fabrikam.example yourself.'),
    ).toBeVisible()
    await expect(canvas.getByText(testInvitation().inviteRedeemUrl)).toBeVisible()
    await expectStatus(canvasElement, 'success')
    // and back to an empty form for the next guest
    await userEvent.click(canvas.getByRole('button', { name: 'Share with someone else' }))
    await expect(canvas.getByLabelText('Email address')).toHaveValue('')
  },
}
