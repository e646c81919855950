import { testBffUrl } from '@entra-share/react/testing'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, within } from 'storybook/test'
import { expectStatus, fillAndShare, fluentMeta, formReady, inTheme } from '../../stories/fluent-stories.js'
import { FluentShareWithExternalUser } from '../FluentShareWithExternalUser.js'

/** While the BFF works (here it never answers): the button is disabled, busy and spins. */
const meta = {
  title: 'Fluent/ShareWithExternalUser/Submitting',
  component: FluentShareWithExternalUser,
  ...fluentMeta,
  args: { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'], onInvited: fn(), onError: fn() },
  parameters: { ...fluentMeta.parameters, bff: { scenario: 'pending' } },
} satisfies Meta<typeof FluentShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

const story: Story = {
  play: async ({ canvasElement }) => {
    await formReady(canvasElement)
    await fillAndShare(canvasElement)
    const button = await within(canvasElement).findByRole('button', { name: 'Sharing…' })
    await expect(button).toBeDisabled()
    await expect(button).toHaveAttribute('aria-busy', 'true')
    await expectStatus(canvasElement, 'submitting')
  },
}

export const WebLight = inTheme('webLight', story)
export const WebDark = inTheme('webDark', story)
export const TeamsHighContrast = inTheme('teamsHighContrast', story)
