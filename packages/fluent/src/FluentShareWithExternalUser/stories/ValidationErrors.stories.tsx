import { testBffUrl } from '@entra-share/react/testing'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import {
  emailField,
  expectFocused,
  findAlert,
  fluentMeta,
  formReady,
  inTheme,
} from '../../stories/fluent-stories.js'
import { FluentShareWithExternalUser } from '../FluentShareWithExternalUser.js'

/** The browser checks the fields with the server's own constants before anything is sent: each error on its field, the first invalid field focused. */
const meta = {
  title: 'Fluent/ShareWithExternalUser/Validation errors',
  component: FluentShareWithExternalUser,
  ...fluentMeta,
  args: {
    bffUrl: testBffUrl,
    scopes: ['api://bff/Invitations.Send'],
    onInvited: fn(),
    onError: fn(),
    defaultValues: { displayName: 'x'.repeat(257) },
  },
  parameters: { ...fluentMeta.parameters, bff: { scenario: 'emailSent' } },
} satisfies Meta<typeof FluentShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

const story: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await formReady(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Share' }))
    const email = emailField(canvasElement)
    await expect(email).toHaveAttribute('aria-invalid', 'true')
    await expect(email).toHaveAccessibleDescription(expect.stringContaining('Enter an email address.'))
    await expect(canvas.getByLabelText('Name')).toHaveAccessibleDescription(
      expect.stringContaining('Use at most 256 characters.'),
    )
    await expectFocused(email)
    await expect(await findAlert(canvasElement)).toHaveTextContent('Check the highlighted fields.')
    await expect(args.onInvited).not.toHaveBeenCalled()
  },
}

export const WebLight = inTheme('webLight', story)
export const WebDark = inTheme('webDark', story)
export const TeamsHighContrast = inTheme('teamsHighContrast', story)
