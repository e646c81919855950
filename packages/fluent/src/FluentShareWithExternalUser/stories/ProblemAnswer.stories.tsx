import { testBffUrl } from '@entra-share/react/testing'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn } from 'storybook/test'
import {
  emailField,
  expectFocused,
  expectStatus,
  fillAndShare,
  findAlert,
  fluentMeta,
  formReady,
  inTheme,
} from '../../stories/fluent-stories.js'
import { FluentShareWithExternalUser } from '../FluentShareWithExternalUser.js'

/** A catalogued problem (`domain_not_allowed`): its sentence in the focused error summary with the request id, and on the email field. */
const meta = {
  title: 'Fluent/ShareWithExternalUser/Problem answer',
  component: FluentShareWithExternalUser,
  ...fluentMeta,
  args: { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'], onInvited: fn(), onError: fn() },
  parameters: { ...fluentMeta.parameters, bff: { scenario: 'domain_not_allowed' } },
} satisfies Meta<typeof FluentShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

const story: Story = {
  play: async ({ canvasElement, args }) => {
    await formReady(canvasElement)
    await fillAndShare(canvasElement, 'ada@blocked.example')
    const alert = await findAlert(canvasElement)
    await expect(alert).toHaveAttribute('data-code', 'domain_not_allowed')
    await expect(alert).toHaveTextContent('Invitations to this email domain are not allowed.')
    await expect(alert).toHaveTextContent('Reference: req-domain_not_allowed')
    await expectFocused(alert)
    await expect(emailField(canvasElement)).toHaveAttribute('aria-invalid', 'true')
    await expectStatus(canvasElement, 'error')
    await expect(args.onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'domain_not_allowed' }))
  },
}

export const WebLight = inTheme('webLight', story)
export const WebDark = inTheme('webDark', story)
export const TeamsHighContrast = inTheme('teamsHighContrast', story)
