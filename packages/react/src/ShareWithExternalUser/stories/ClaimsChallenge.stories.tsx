import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, within } from 'storybook/test'
import type { MsalStandIn } from '../../testing/msal-stand-in.js'
import { ShareWithExternalUser } from '../ShareWithExternalUser.js'
import { fillAndShare, formReady, storyTarget } from './story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/styles.css'

/**
 * Conditional Access asks for more (a `claims_challenge` answer): the hook gets a new token carrying the decoded
 * claims and retries once by itself, so the user just sees the invitation succeed.
 */
const meta = {
  title: 'ShareWithExternalUser/Claims challenge',
  component: ShareWithExternalUser,
  args: { ...storyTarget, onInvited: fn(), onError: fn() },
  parameters: { bff: { scenario: 'claimsChallengeThenSuccess' } },
} satisfies Meta<typeof ShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

export const RetriedToSuccess: Story = {
  play: async ({ canvasElement, args, loaded }) => {
    await formReady(canvasElement)
    await fillAndShare(canvasElement)
    await within(canvasElement).findByRole('heading', { name: 'Invitation sent' })
    await expect(args.onError).not.toHaveBeenCalled()
    await expect(args.onInvited).toHaveBeenCalledOnce()
    const msal = loaded.msal as MsalStandIn
    const withClaims = msal.calls.filter((call) => call.claims)
    await expect(withClaims).toHaveLength(1)
    await expect(JSON.parse(withClaims[0]?.claims ?? '{}')).toMatchObject({
      access_token: { acrs: { essential: true, value: 'c1' } },
    })
  },
}
