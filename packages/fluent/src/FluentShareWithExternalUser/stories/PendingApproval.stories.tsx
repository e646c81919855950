import { testBffUrl, testConfig } from '@entra-share/react/testing'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import {
  emailField,
  expectFocused,
  expectStatus,
  fluentMeta,
  formReady,
  inTheme,
} from '../../stories/fluent-stories.js'
import { FluentShareWithExternalUser } from '../FluentShareWithExternalUser.js'

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
 * Sharing with a preset that needs an approval: the reason is asked for, the BFF answers `202`, and the waiting view
 * says who decides and until when, instead of a link.
 */
const meta = {
  title: 'Fluent/ShareWithExternalUser/Pending approval',
  component: FluentShareWithExternalUser,
  ...fluentMeta,
  args: {
    bffUrl: testBffUrl,
    scopes: ['api://bff/Invitations.Send'],
    onInvited: fn(),
    onPendingApproval: fn(),
    onError: fn(),
  },
  parameters: { ...fluentMeta.parameters, bff: { scenario: 'pendingApproval', options: { config } } },
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
      await within(document.body).findByRole('option', { name: 'Project Apollo (reviewed)' }),
    )
    await expect(canvas.getByRole('combobox', { name: 'Access' })).toHaveAccessibleDescription(
      'An approver decides before the invitation is sent. Access ends after 90 days.',
    )
    await userEvent.type(emailField(canvasElement), 'ada@fabrikam.example')
    await userEvent.type(canvas.getByLabelText(/^Reason for access/), 'Reviews the supplier contracts.')
    await userEvent.click(canvas.getByRole('button', { name: 'Share' }))
    await expectFocused(await canvas.findByRole('heading', { name: 'Waiting for approval' }))
    await expect(canvas.getByText('Reviews the supplier contracts.')).toBeVisible()
    await expect(canvas.queryByText('Invitation link')).toBeNull()
    await waitFor(() => expect(args.onPendingApproval).toHaveBeenCalledOnce())
    await expect(args.onInvited).not.toHaveBeenCalled()
    await expectStatus(canvasElement, 'pending_approval')
  },
}

export const WebLight = inTheme('webLight', story)
export const WebDark = inTheme('webDark', story)
export const TeamsHighContrast = inTheme('teamsHighContrast', story)
