import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { expectFocused, formReady, storyTarget } from '../../ShareWithExternalUser/stories/story-helpers.js'
import { testInvitation } from '../../testing/bff-handlers.js'
import { ShareButton } from '../ShareButton.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/styles.css'

/** A button that opens the form in a modal dialog: focus moves in, Esc closes, focus returns to the button. */
const meta = {
  title: 'ShareButton/Dialog',
  component: ShareButton,
  tags: ['autodocs'],
  args: { ...storyTarget, onInvited: fn(), onError: fn() },
  argTypes: { bffUrl: { control: false }, client: { control: false }, children: { control: 'text' } },
  parameters: { bff: { scenario: 'emailSent' } },
} satisfies Meta<typeof ShareButton>

export default meta
type Story = StoryObj<typeof meta>

export const OpenShareAndClose: Story = {
  play: async ({ canvasElement, args, step }) => {
    const canvas = within(canvasElement)
    const button = canvas.getByRole('button', { name: 'Share…' })
    await expect(button).toHaveAttribute('aria-haspopup', 'dialog')

    await step('Open: the dialog is modal, labelled, and focus is on the email field', async () => {
      await userEvent.click(button)
      const dialog = await canvas.findByRole('dialog', { name: 'Share with an external user' })
      await expect(dialog).toHaveAttribute('open')
      await expect(dialog.matches(':modal')).toBe(true)
      await expect(within(dialog).getByLabelText('Email address')).toHaveFocus()
    })

    await step('Esc closes it and focus returns to the button', async () => {
      await userEvent.keyboard('{Escape}')
      await waitFor(() => expect(canvas.queryByRole('dialog')).not.toBeInTheDocument())
      await expect(button).toHaveFocus()
    })

    await step('Share from the dialog', async () => {
      await userEvent.click(button)
      const dialog = await canvas.findByRole('dialog')
      await within(dialog).findByLabelText('Access')
      await userEvent.type(within(dialog).getByLabelText('Email address'), 'ada@fabrikam.example')
      await userEvent.click(within(dialog).getByRole('button', { name: 'Share' }))
      await expectFocused(await within(dialog).findByRole('heading', { name: 'Invitation sent' }))
      await expect(within(dialog).getByText(testInvitation().invitedUserId)).toBeVisible()
      await expect(args.onInvited).toHaveBeenCalledOnce()
    })
  },
}

/** The dialog as it opens, for looking at (and for the a11y check of the open dialog). */
export const Open: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Share…' }))
    const dialog = await canvas.findByRole('dialog')
    await within(dialog).findByLabelText('Access')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Close' }))
    await expect(canvas.queryByRole('dialog')).not.toBeInTheDocument()
    await userEvent.click(canvas.getByRole('button', { name: 'Share…' }))
    await expect(await canvas.findByRole('dialog')).toBeVisible()
  },
}

/**
 * Controlled: the parent owns `open` and follows `onOpenChange`. Here it opens the dialog from its own button and
 * agrees to every request; the dialog never opens or closes by itself.
 */
export const Controlled: Story = {
  render: function ControlledDialog(args) {
    const [open, setOpen] = useState(false)
    return (
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <button type="button" onClick={() => setOpen(true)}>
          Invite a partner
        </button>
        <ShareButton
          {...args}
          open={open}
          onOpenChange={(event, data) => {
            args.onOpenChange?.(event, data)
            setOpen(data.open)
          }}
        />
        <output>{open ? 'Dialog open' : 'Dialog closed'}</output>
      </div>
    )
  },
  args: { onOpenChange: fn() },
  play: async ({ canvasElement, args, step }) => {
    const canvas = within(canvasElement)
    const trigger = canvas.getByRole('button', { name: 'Share…' })

    await step("The parent's own button opens it: modal, focus on the email field", async () => {
      await userEvent.click(canvas.getByRole('button', { name: 'Invite a partner' }))
      const dialog = await canvas.findByRole('dialog', { name: 'Share with an external user' })
      await expect(dialog.matches(':modal')).toBe(true)
      await expect(within(dialog).getByLabelText('Email address')).toHaveFocus()
      await expect(args.onOpenChange).not.toHaveBeenCalled()
    })

    await step('Esc asks to close; the parent agrees and focus returns to the button', async () => {
      await userEvent.keyboard('{Escape}')
      await expect(args.onOpenChange).toHaveBeenLastCalledWith(
        expect.anything(),
        expect.objectContaining({ open: false, type: 'escapeKeyDown' }),
      )
      await waitFor(() => expect(canvas.queryByRole('dialog')).not.toBeInTheDocument())
      await expect(canvas.getByText('Dialog closed')).toBeVisible()
      await expect(trigger).toHaveFocus()
    })

    await step('The button asks to open; a click on the backdrop asks to close', async () => {
      await userEvent.click(trigger)
      await expect(args.onOpenChange).toHaveBeenLastCalledWith(
        expect.anything(),
        expect.objectContaining({ open: true, type: 'triggerClick' }),
      )
      const dialog = await canvas.findByRole('dialog')
      await formReady(canvasElement)
      // the page's top-left corner is outside the centred dialog: on its backdrop
      await userEvent.pointer({ keys: '[MouseLeft]', target: dialog, coords: { clientX: 2, clientY: 2 } })
      await expect(args.onOpenChange).toHaveBeenLastCalledWith(
        expect.anything(),
        expect.objectContaining({ open: false, type: 'backdropClick' }),
      )
      await waitFor(() => expect(canvas.queryByRole('dialog')).not.toBeInTheDocument())
      await expect(trigger).toHaveFocus()
    })
  },
}
