import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, within } from 'storybook/test'
import { ShareWithExternalUser } from '../ShareWithExternalUser.js'
import { expectStatus, fillAndShare, formReady, storyTarget } from './story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/styles.css'

/** While the BFF works (here it never answers): the button is disabled and busy. */
const meta = {
  title: 'ShareWithExternalUser/Submitting',
  component: ShareWithExternalUser,
  args: { ...storyTarget, onInvited: fn(), onError: fn() },
  parameters: { bff: { scenario: 'pending' } },
} satisfies Meta<typeof ShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

export const Submitting: Story = {
  play: async ({ canvasElement }) => {
    await formReady(canvasElement)
    await fillAndShare(canvasElement)
    const button = await within(canvasElement).findByRole('button', { name: 'Sharing…' })
    await expect(button).toBeDisabled()
    await expect(button).toHaveAttribute('aria-busy', 'true')
    await expectStatus(canvasElement, 'submitting')
  },
}
