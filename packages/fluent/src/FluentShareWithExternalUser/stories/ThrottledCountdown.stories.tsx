import { testBffUrl } from '@entra-share/react/testing'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, within } from 'storybook/test'
import { fillAndShare, findAlert, fluentMeta, formReady, inTheme } from '../../stories/fluent-stories.js'
import { FluentShareWithExternalUser } from '../FluentShareWithExternalUser.js'

/** Throttled (`rate_limited`, `Retry-After: 30`): the submit button counts down before the user may try again. */
const meta = {
  title: 'Fluent/ShareWithExternalUser/Throttled countdown',
  component: FluentShareWithExternalUser,
  ...fluentMeta,
  args: { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'], onInvited: fn(), onError: fn() },
  parameters: {
    ...fluentMeta.parameters,
    bff: { scenario: 'rate_limited', options: { retryAfterSeconds: 30 } },
  },
} satisfies Meta<typeof FluentShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

const story: Story = {
  play: async ({ canvasElement }) => {
    await formReady(canvasElement)
    await fillAndShare(canvasElement)
    await expect(await findAlert(canvasElement)).toHaveAttribute('data-code', 'rate_limited')
    const waiting = await within(canvasElement).findByRole('button', { name: 'Try again in 30 s' })
    await expect(waiting).toBeDisabled()
    await expect(waiting).toHaveAttribute('data-waiting')
  },
}

export const WebLight = inTheme('webLight', story)
export const WebDark = inTheme('webDark', story)
export const TeamsHighContrast = inTheme('teamsHighContrast', story)
