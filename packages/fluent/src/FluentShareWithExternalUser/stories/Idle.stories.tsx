import { testBffUrl } from '@entra-share/react/testing'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, within } from 'storybook/test'
import { expectStatus, fluentMeta, formReady, inTheme } from '../../stories/fluent-stories.js'
import { FluentShareWithExternalUser } from '../FluentShareWithExternalUser.js'

/** The form as a host app first shows it, with the presets and the personal message the BFF offers. */
const meta = {
  title: 'Fluent/ShareWithExternalUser/Idle',
  component: FluentShareWithExternalUser,
  ...fluentMeta,
  args: { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'], onInvited: fn(), onError: fn() },
  parameters: { ...fluentMeta.parameters, bff: { scenario: 'emailSent' } },
} satisfies Meta<typeof FluentShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

const story: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Share with an external user' })).toBeInTheDocument()
    await formReady(canvasElement)
    await expect(canvas.getByLabelText('Personal message (optional)')).toBeInTheDocument()
    await expect(canvas.getByRole('button', { name: 'Share' })).toBeEnabled()
    await expectStatus(canvasElement, 'idle')
    await expect(args.onInvited).not.toHaveBeenCalled()
  },
}

export const WebLight = inTheme('webLight', story)
export const WebDark = inTheme('webDark', story)
export const TeamsHighContrast = inTheme('teamsHighContrast', story)
