import { testBffUrl, testConfig, testInvitation } from '@entra-share/react/testing'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, within } from 'storybook/test'
import { expectFocused, fillAndShare, fluentMeta, inTheme } from '../../stories/fluent-stories.js'
import { FluentShareWithExternalUser } from '../FluentShareWithExternalUser.js'

/** Nobody emailed the guest (the BFF's `emailMode` is `none`, no presets): the inviter sends the link themselves. */
const meta = {
  title: 'Fluent/ShareWithExternalUser/Success, link to share',
  component: FluentShareWithExternalUser,
  ...fluentMeta,
  args: { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'], onInvited: fn(), onError: fn() },
  parameters: {
    ...fluentMeta.parameters,
    bff: { scenario: 'linkToShare', options: { config: testConfig({ presets: [], emailMode: 'none' }) } },
  },
} satisfies Meta<typeof FluentShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

const story: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await fillAndShare(canvasElement)
    await expectFocused(await canvas.findByRole('heading', { name: 'Invitation ready to share' }))
    await expect(
      canvas.getByText('No email was sent: send this link to ada@fabrikam.example yourself.'),
    ).toBeVisible()
    await expect(canvas.getByText(testInvitation().inviteRedeemUrl)).toBeVisible()
  },
}

export const WebLight = inTheme('webLight', story)
export const WebDark = inTheme('webDark', story)
export const TeamsHighContrast = inTheme('teamsHighContrast', story)
