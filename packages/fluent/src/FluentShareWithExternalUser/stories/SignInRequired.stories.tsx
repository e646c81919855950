import { testBffUrl } from '@entra-share/react/testing'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn } from 'storybook/test'
import { expectStatus, fillAndShare, findAlert, fluentMeta, inTheme } from '../../stories/fluent-stories.js'
import { FluentShareWithExternalUser } from '../FluentShareWithExternalUser.js'

/** Nobody is signed in (`sign_in_required`): the summary says so, without a request id. */
const meta = {
  title: 'Fluent/ShareWithExternalUser/Sign-in required',
  component: FluentShareWithExternalUser,
  ...fluentMeta,
  args: { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'], onInvited: fn(), onError: fn() },
  parameters: { ...fluentMeta.parameters, msal: { account: null } },
} satisfies Meta<typeof FluentShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

const story: Story = {
  play: async ({ canvasElement }) => {
    await fillAndShare(canvasElement)
    const alert = await findAlert(canvasElement)
    await expect(alert).toHaveAttribute('data-code', 'sign_in_required')
    await expect(alert).toHaveTextContent('Sign in to invite guests.')
    await expectStatus(canvasElement, 'error')
  },
}

export const WebLight = inTheme('webLight', story)
export const WebDark = inTheme('webDark', story)
export const TeamsHighContrast = inTheme('teamsHighContrast', story)
