import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { BulkInvite } from '../BulkInvite.js'
import { bulkStoryTarget, chooseAndStart, expectBulkStatus } from './bulk-story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/bulk.css'

/**
 * The BFF lost the inviter's token (`paused_reauth`) and a silent token is refused: the job waits for a sign-in.
 * The button signs in through a popup and the job resumes.
 */
const meta = {
  title: 'BulkInvite/Paused, needs sign-in',
  component: BulkInvite,
  args: bulkStoryTarget,
  parameters: {
    // Row status, drop zone and bar in Windows High Contrast too.
    visual: { forcedColors: true },

    bff: { options: { bulk: { scenario: 'pausedReauth', totalRows: 40, polls: 3 } } },
    // the upload and the first poll get tokens; then silent tokens are refused, so the click opens the popup
    msal: { silent: ['token', 'token', 'interaction_required', 'interaction_required', 'token'] },
  },
} satisfies Meta<typeof BulkInvite>

export default meta
type Story = StoryObj<typeof meta>

/** Paused: the notice and its sign-in button; polling waits for the sign-in, so nothing moves. */
export const PausedNeedsSignIn: Story = {
  play: async ({ canvasElement }) => {
    await chooseAndStart(canvasElement)
    const canvas = within(canvasElement)
    await expect(
      await canvas.findByRole('button', { name: 'Sign in to continue' }, { timeout: 5_000 }),
    ).toBeEnabled()
    await expectBulkStatus(canvasElement, 'paused_reauth')
    await expect(canvas.getByText('Sign in again to continue')).toBeVisible()
    await expect(canvas.getByRole('status')).toHaveTextContent(
      'Invitations paused: sign in again to continue.',
    )
  },
}

/**
 * The button signs in again (through a popup when a silent token is still refused); the job resumes and runs to the
 * end.
 */
export const SignedInAgain: Story = {
  // after the refusal that pauses it, tokens are granted again, so the resumed job's polls go on to the end
  parameters: { msal: { silent: ['token', 'token', 'interaction_required', 'token'] } },
  play: async ({ canvasElement }) => {
    await chooseAndStart(canvasElement)
    const canvas = within(canvasElement)
    const signIn = await canvas.findByRole('button', { name: 'Sign in to continue' }, { timeout: 5_000 })
    const bar = canvas.getByRole('progressbar', { name: 'Invitations' })
    const before = Number(bar.getAttribute('value'))
    await userEvent.click(signIn)
    // the popup's token resumes the job: the next read has moved on, and it finishes
    await waitFor(() => expect(Number(bar.getAttribute('value'))).toBeGreaterThan(before), { timeout: 5_000 })
    await canvas.findByRole('heading', { name: 'Invitations finished' }, { timeout: 10_000 })
    await expect(canvas.getByText('37 invited · 3 failed.')).toBeVisible()
    await expect(canvas.queryByRole('button', { name: 'Sign in to continue' })).not.toBeInTheDocument()
  },
}
