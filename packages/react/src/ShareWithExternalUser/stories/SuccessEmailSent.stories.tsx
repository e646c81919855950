import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { testInvitation } from '../../testing/bff-handlers.js'
import { ShareWithExternalUser } from '../ShareWithExternalUser.js'
import {
  expectFocused,
  expectStatus,
  fillAndShare,
  formReady,
  partialSteps,
  stepLines,
  storyTarget,
} from './story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/styles.css'

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

/** The guest is invited but a group membership is still being retried by the BFF (Graph was busy). */
export const Partial: Story = {
  parameters: { bff: { scenario: 'partial' } },
  play: async ({ canvasElement }) => {
    await formReady(canvasElement)
    await fillAndShare(canvasElement)
    await expect(
      await within(canvasElement).findByText('Some access is still being set up and will finish shortly.'),
    ).toBeVisible()
    await expect(stepLines(canvasElement)).toEqual([
      ['pending', 'Still to do: add to a group — Microsoft is busy. Wait a moment, then try again.'],
    ])
  },
}

/**
 * Each follow-up step in words: the preset's groups and the name are done, the licence waits for free units (the
 * `license_unavailable` sentence says why) and the app role is still to be retried. The live region says how many
 * are still to do.
 */
export const PartialWithSteps: Story = {
  parameters: { bff: { scenario: 'partial', options: { invitation: { steps: partialSteps } } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await formReady(canvasElement)
    await userEvent.selectOptions(canvas.getByLabelText('Access'), 'apollo')
    await fillAndShare(canvasElement)
    await expectFocused(await canvas.findByRole('heading', { name: 'Invitation sent' }))
    await expect(stepLines(canvasElement)).toEqual([
      ['succeeded', 'Added to Project Apollo'],
      ['succeeded', 'Name and location set'],
      [
        'pending',
        'Still to do: assign a licence — The guest was invited, but no licence is free to assign to them yet. Your administrator has been told to add licences.',
      ],
      ['pending', 'Still to do: grant app access — It will be retried automatically.'],
    ])
    await expect(canvas.getByRole('status')).toHaveTextContent(/ Steps still to do: 2\.$/)
    // the mark repeats the words (✓ done, ○ still to do) and is silent to screen readers
    const [done, , pending] = canvas.getAllByRole('listitem')
    await expect(getComputedStyle(done as Element, '::before').content).toBe('"✓" / ""')
    await expect(getComputedStyle(pending as Element, '::before').content).toBe('"○" / ""')
  },
}
