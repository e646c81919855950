import { testBffUrl } from '@entra-share/react/testing'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, within } from 'storybook/test'
import { fillAndShare, findAlert, fluentMeta, formReady, inTheme } from '../../stories/fluent-stories.js'
import { FluentShareWithExternalUser } from '../FluentShareWithExternalUser.js'

/** `consent_required`: the summary links to the admin consent page. */
const meta = {
  title: 'Fluent/ShareWithExternalUser/Consent required',
  component: FluentShareWithExternalUser,
  ...fluentMeta,
  args: { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'], onInvited: fn(), onError: fn() },
  parameters: { ...fluentMeta.parameters, bff: { scenario: 'consent_required' } },
} satisfies Meta<typeof FluentShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

const story: Story = {
  play: async ({ canvasElement }) => {
    await formReady(canvasElement)
    await fillAndShare(canvasElement)
    const alert = await findAlert(canvasElement)
    await expect(alert).toHaveTextContent(
      'An administrator must approve this app before you can invite guests.',
    )
    await expect(within(alert).getByRole('link', { name: 'Open the consent page' })).toHaveAttribute(
      'href',
      'https://login.microsoftonline.com/tenant-0001/adminconsent',
    )
  },
}

export const WebLight = inTheme('webLight', story)
export const WebDark = inTheme('webDark', story)
export const TeamsHighContrast = inTheme('teamsHighContrast', story)
