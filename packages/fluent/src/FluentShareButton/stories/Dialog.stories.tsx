import { testBffUrl } from '@entra-share/react/testing'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { emailField, expectFocused, fluentMeta, formReady, inTheme } from '../../stories/fluent-stories.js'
import { FluentShareButton } from '../FluentShareButton.js'

/**
 * The button opens the form in a modal Fluent Dialog labelled by its title: focus moves to the email field, Esc
 * closes it and focus returns to the button.
 */
const meta = {
  title: 'Fluent/ShareButton/Dialog',
  component: FluentShareButton,
  ...fluentMeta,
  args: { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'], onInvited: fn(), onOpenChange: fn() },
  parameters: { ...fluentMeta.parameters, bff: { scenario: 'emailSent' } },
} satisfies Meta<typeof FluentShareButton>

export default meta
type Story = StoryObj<typeof meta>

const story: Story = {
  play: async ({ canvasElement, args }) => {
    const page = within(document.body) // the dialog is in a Fluent portal, outside the canvas
    const button = within(canvasElement).getByRole('button', { name: 'Share…' })
    await userEvent.click(button)
    const dialog = await page.findByRole('dialog', { name: 'Share with an external user' })
    await formReady(dialog)
    await expectFocused(emailField(dialog))
    await userEvent.keyboard('{Escape}')
    await waitFor(() => expect(page.queryByRole('dialog')).not.toBeInTheDocument())
    await expectFocused(button)
    await expect(args.onOpenChange).toHaveBeenLastCalledWith(
      expect.anything(),
      expect.objectContaining({ type: 'escapeKeyDown', open: false }),
    )
    // Open again for the picture.
    await userEvent.click(button)
    await expectFocused(emailField(await page.findByRole('dialog')))
  },
}

export const WebLight = inTheme('webLight', story)
export const WebDark = inTheme('webDark', story)
export const TeamsHighContrast = inTheme('teamsHighContrast', story)
