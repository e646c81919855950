import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { testConfig } from '../../testing/bff-handlers.js'
import { ShareWithExternalUser } from '../ShareWithExternalUser.js'
import { expectFocused, expectStatus, formReady, storyTarget } from './story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/styles.css'

/** A preset with an approval policy: an approver decides, a reason is required, access lasts 90 days. */
const config = testConfig({
  presets: [
    { id: 'apollo', label: 'Project Apollo', groupCount: 2 },
    {
      id: 'apollo-reviewed',
      label: 'Project Apollo (reviewed)',
      groupCount: 1,
      approvalRequired: true,
      reasonRequired: true,
      accessDays: 90,
    },
  ],
})

/**
 * Sharing with a preset that needs an approval: the form says so under Access and asks for the reason; the BFF
 * answers `202` and the component shows who decides and until when, instead of a link.
 */
const meta = {
  title: 'ShareWithExternalUser/Pending approval',
  component: ShareWithExternalUser,
  args: { ...storyTarget, onInvited: fn(), onPendingApproval: fn(), onError: fn() },
  parameters: { bff: { scenario: 'pendingApproval', options: { config } } },
} satisfies Meta<typeof ShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

/** The approval preset chosen: its hint, and the reason field, required. */
export const ReasonAsked: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await formReady(canvasElement)
    await userEvent.selectOptions(canvas.getByLabelText('Access'), 'apollo-reviewed')
    await expect(canvas.getByLabelText('Access')).toHaveAccessibleDescription(
      'An approver decides before the invitation is sent. Access ends after 90 days.',
    )
    await userEvent.type(canvas.getByLabelText('Email address'), 'ada@fabrikam.example')
    await userEvent.click(canvas.getByRole('button', { name: 'Share' }))
    const reason = canvas.getByLabelText('Reason for access')
    await expectFocused(reason)
    await expect(reason).toHaveAttribute('aria-invalid', 'true')
    await expect(canvas.getByText('Say why this person needs access.')).toBeVisible()
    reason.blur()
  },
}

/** Shared: the waiting view, focused and announced; nobody was invited yet, so no link and no onInvited. */
export const WaitingForApproval: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await formReady(canvasElement)
    await userEvent.selectOptions(canvas.getByLabelText('Access'), 'apollo-reviewed')
    await userEvent.type(canvas.getByLabelText('Email address'), 'ada@fabrikam.example')
    await userEvent.type(canvas.getByLabelText('Reason for access'), 'Reviews the supplier contracts.')
    await userEvent.click(canvas.getByRole('button', { name: 'Share' }))
    await expectFocused(await canvas.findByRole('heading', { name: 'Waiting for approval' }))
    await expect(canvas.getByText('Invitations.Admin')).toBeVisible()
    await expect(canvas.getByText('March 7, 2026')).toBeVisible()
    await expect(canvas.getByText('Reviews the supplier contracts.')).toBeVisible()
    await expect(canvas.queryByText('Invitation link')).toBeNull()
    await expect(canvas.getByRole('status')).toHaveTextContent(
      'Waiting for approval. Nothing was sent to ada@fabrikam.example yet',
    )
    await waitFor(() => expect(args.onPendingApproval).toHaveBeenCalledOnce())
    await expect(args.onInvited).not.toHaveBeenCalled()
    await expectStatus(canvasElement, 'pending_approval')
    ;(document.activeElement as HTMLElement | null)?.blur()
  },
}
