import { act, screen, waitFor } from '@testing-library/react'
import { createRef, useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { axeViolations, renderWithMsal } from '../../test/render.js'
import { server } from '../../test/setup.js'
import { bffHandlers, testBffUrl } from '../testing/bff-handlers.js'
import { ShareButton } from './ShareButton.js'
import type { ShareButtonProps } from './ShareButton.types.js'

const scopes = ['api://bff/Invitations.Send']

function renderButton(props: Partial<Omit<ShareButtonProps, 'bffUrl' | 'client'>> = {}) {
  server.use(...bffHandlers())
  return renderWithMsal(<ShareButton bffUrl={testBffUrl} scopes={scopes} {...props} />)
}

/** A parent that owns the open state; `agree` says whether it follows the dialog's requests. */
function ControlledParent({
  agree,
  onOpenChange,
}: {
  agree: boolean
  onOpenChange: ShareButtonProps['onOpenChange']
}) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open from outside
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Close from outside
      </button>
      <ShareButton
        bffUrl={testBffUrl}
        scopes={scopes}
        open={open}
        onOpenChange={(event, data) => {
          onOpenChange?.(event, data)
          if (agree) setOpen(data.open)
        }}
      />
    </>
  )
}

function renderControlled(agree: boolean) {
  server.use(...bffHandlers())
  const onOpenChange = vi.fn<NonNullable<ShareButtonProps['onOpenChange']>>()
  const view = renderWithMsal(<ControlledParent agree={agree} onOpenChange={onOpenChange} />)
  return { ...view, onOpenChange, trigger: screen.getByRole('button', { name: 'Share…' }) }
}

/** The data of the last `onOpenChange` call. */
const lastChange = (spy: ReturnType<typeof renderControlled>['onOpenChange']) => spy.mock.lastCall?.[1]

describe('<ShareButton>', () => {
  it('opens the form in a dialog labelled by its heading, with focus on the email field', async () => {
    const { user, container } = renderButton()
    const button = screen.getByRole('button', { name: 'Share…' })
    expect(button).toHaveAttribute('aria-haspopup', 'dialog')
    await user.click(button)
    const dialog = screen.getByRole('dialog', { name: 'Share with an external user' })
    expect(dialog).toHaveAttribute('open')
    expect(screen.getByLabelText('Email address')).toHaveFocus()
    // the dialog's heading labels the form; the form adds no second title
    expect(screen.getAllByRole('heading', { name: 'Share with an external user' })).toHaveLength(1)
    await screen.findByLabelText('Access')
    expect(await axeViolations(container)).toEqual([])
  })

  it('closes on Esc and returns focus to the button', async () => {
    const { user } = renderButton()
    const button = screen.getByRole('button', { name: 'Share…' })
    await user.click(button)
    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(button).toHaveFocus()
  })

  it('closes with the Close button and returns focus to the button', async () => {
    const { user } = renderButton()
    const button = screen.getByRole('button', { name: 'Share…' })
    await user.click(button)
    await user.click(screen.getByRole('button', { name: 'Close' }))
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(button).toHaveFocus()
  })

  it('invites from inside the dialog', async () => {
    const { user } = renderButton()
    await user.click(screen.getByRole('button', { name: 'Share…' }))
    await user.type(screen.getByLabelText('Email address'), 'ada@fabrikam.example')
    await user.click(screen.getByRole('button', { name: 'Share' }))
    const heading = await screen.findByRole('heading', { name: 'Invitation sent' })
    await waitFor(() => expect(heading).toHaveFocus())
  })

  describe('open state', () => {
    it('is controlled by the parent: its state opens and closes the dialog, focus returns to the button', async () => {
      const { user, trigger } = renderControlled(true)
      await user.click(screen.getByRole('button', { name: 'Open from outside' }))
      expect(screen.getByRole('dialog', { name: 'Share with an external user' })).toHaveAttribute('open')
      expect(screen.getByLabelText('Email address')).toHaveFocus()
      await user.click(screen.getByRole('button', { name: 'Close from outside' }))
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
      expect(trigger).toHaveFocus()
    })

    it('asks with onOpenChange on the button, Esc and Close, and changes nothing until the parent agrees', async () => {
      const { user, trigger, onOpenChange } = renderControlled(false)
      await user.click(trigger)
      expect(lastChange(onOpenChange)).toMatchObject({ open: true, type: 'triggerClick' })
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument()

      await user.click(screen.getByRole('button', { name: 'Open from outside' }))
      await user.keyboard('{Escape}')
      expect(onOpenChange).toHaveBeenCalledTimes(2)
      const [event, data] = onOpenChange.mock.calls[1] ?? []
      expect(data).toMatchObject({ open: false, type: 'escapeKeyDown' })
      expect(data?.event).toBe(event)
      expect(screen.getByRole('dialog')).toHaveAttribute('open')

      await user.click(screen.getByRole('button', { name: 'Close' }))
      expect(lastChange(onOpenChange)).toMatchObject({ open: false, type: 'triggerClick' })
      expect(onOpenChange).toHaveBeenCalledTimes(3)
      expect(screen.getByRole('dialog')).toHaveAttribute('open')

      await user.click(screen.getByRole('button', { name: 'Close from outside' }))
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
      expect(trigger).toHaveFocus()
    })

    it('closes when the parent agrees to Esc, and focus returns to the button', async () => {
      const { user, trigger, onOpenChange } = renderControlled(true)
      await user.click(trigger)
      expect(lastChange(onOpenChange)).toMatchObject({ open: true, type: 'triggerClick' })
      expect(screen.getByLabelText('Email address')).toHaveFocus()
      await user.keyboard('{Escape}')
      expect(lastChange(onOpenChange)).toMatchObject({ open: false, type: 'escapeKeyDown' })
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
      expect(trigger).toHaveFocus()
    })

    it('asks to close on a backdrop click, but not for a press that started in the form', async () => {
      const { user, trigger, onOpenChange } = renderControlled(true)
      await user.click(trigger)
      const dialog = screen.getByRole('dialog')
      // a text selection dragged out of the email field ends on the dialog element: not a backdrop click
      await user.pointer([
        { keys: '[MouseLeft>]', target: screen.getByLabelText('Email address') },
        { target: dialog, coords: { clientX: 900, clientY: 900 } },
        { keys: '[/MouseLeft]' },
      ])
      expect(onOpenChange).toHaveBeenCalledTimes(1)
      expect(dialog).toBeInTheDocument()
      // jsdom lays nothing out: the dialog's box is empty, so any point is outside it, on the backdrop
      await user.pointer({ keys: '[MouseLeft]', target: dialog, coords: { clientX: 900, clientY: 900 } })
      expect(lastChange(onOpenChange)).toMatchObject({ open: false, type: 'backdropClick' })
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
      expect(trigger).toHaveFocus()
    })

    it('starts open with defaultOpen, then keeps its own state: Esc closes it and says so', async () => {
      const onOpenChange = vi.fn()
      const { user } = renderButton({ defaultOpen: true, onOpenChange })
      expect(screen.getByRole('dialog', { name: 'Share with an external user' })).toHaveAttribute('open')
      expect(screen.getByLabelText('Email address')).toHaveFocus()
      await user.keyboard('{Escape}')
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
      expect(onOpenChange).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ open: false }))
      expect(screen.getByRole('button', { name: 'Share…' })).toHaveFocus()
      await user.click(screen.getByRole('button', { name: 'Share…' }))
      expect(screen.getByRole('dialog')).toHaveAttribute('open')
    })

    it('ignores defaultOpen when open is given, and never opens by itself', async () => {
      const { user } = renderButton({ open: false, defaultOpen: true })
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
      await user.click(screen.getByRole('button', { name: 'Share…' }))
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    })
  })

  it('forwards its ref to the root element, the trigger button', async () => {
    const ref = createRef<HTMLButtonElement>()
    const { user } = renderButton({ ref })
    expect(ref.current).toBe(screen.getByRole('button', { name: 'Share…' }))
    await user.click(screen.getByRole('button', { name: 'Share…' }))
    // the form inside the dialog does not take it
    expect(ref.current).toBe(screen.getByRole('button', { name: 'Share…' }))
    await act(async () => ref.current?.focus())
    expect(ref.current).toHaveFocus()
  })
})
