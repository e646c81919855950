import { testBffUrl, testInvitation } from '@entra-share/react/testing'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import {
  expectFocused,
  expectStatus,
  fillAndShare,
  fluentMeta,
  formReady,
  inTheme,
} from '../../stories/fluent-stories.js'
import { FluentShareWithExternalUser } from '../FluentShareWithExternalUser.js'
import { partialSteps } from './partial-steps.js'

/** Microsoft emailed the guest; the preset's groups and the name are done, a licence and an app role are still to do. The redeem link with Copy, and the object id. */
const meta = {
  title: 'Fluent/ShareWithExternalUser/Success with follow-up steps',
  component: FluentShareWithExternalUser,
  ...fluentMeta,
  args: { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'], onInvited: fn(), onError: fn() },
  parameters: {
    ...fluentMeta.parameters,
    bff: { scenario: 'partial', options: { invitation: { steps: partialSteps } } },
  },
} satisfies Meta<typeof FluentShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

const story: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await formReady(canvasElement)
    await userEvent.click(canvas.getByRole('combobox', { name: 'Access' }))
    // The listbox is in a Fluent portal, outside the canvas.
    await userEvent.click(await within(document.body).findByRole('option', { name: 'Project Apollo' }))
    await fillAndShare(canvasElement)
    await expectFocused(await canvas.findByRole('heading', { name: 'Invitation sent' }))
    await expect(canvas.getByText('Microsoft emailed an invitation to ada@fabrikam.example.')).toBeVisible()
    await expect(canvas.getByText(testInvitation().inviteRedeemUrl)).toBeVisible()
    await expect(canvas.getByRole('button', { name: 'Copy link' })).toBeEnabled()
    await expect(canvas.getAllByRole('listitem').map((item) => item.dataset.status)).toEqual([
      'succeeded',
      'succeeded',
      'pending',
      'pending',
    ])
    await expect(canvas.getByRole('status')).toHaveTextContent(/ Steps still to do: 2\.$/)
    await expectStatus(canvasElement, 'success')
    await expect(args.onInvited).toHaveBeenCalledOnce()
  },
}

export const WebLight = inTheme('webLight', story)
export const WebDark = inTheme('webDark', story)
export const TeamsHighContrast = inTheme('teamsHighContrast', story)
