import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, within } from 'storybook/test'
import { ShareWithExternalUser } from '../ShareWithExternalUser.js'
import { fillAndShare, findAlert, formReady, storyTarget } from './story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/styles.css'

/** Throttled (`Retry-After: 2`): the submit button counts down, then lets the user try again. */
const meta = {
  title: 'ShareWithExternalUser/Throttled countdown',
  component: ShareWithExternalUser,
  args: { ...storyTarget, onInvited: fn(), onError: fn() },
  parameters: { bff: { scenario: 'throttled', options: { retryAfterSeconds: 2 } } },
} satisfies Meta<typeof ShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

export const Countdown: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await formReady(canvasElement)
    await fillAndShare(canvasElement)
    await expect(await findAlert(canvasElement)).toHaveAttribute('data-code', 'rate_limited')
    const waiting = await canvas.findByRole('button', { name: 'Try again in 2 s' })
    await expect(waiting).toBeDisabled()
    await expect(waiting).toHaveAttribute('data-waiting')
    await canvas.findByRole('button', { name: 'Try again in 1 s' }, { timeout: 1_500 })
    await expect(await canvas.findByRole('button', { name: 'Try again' }, { timeout: 1_500 })).toBeEnabled()
  },
}
