import { bffHandlers, testBffUrl } from '@entra-share/react/testing'
import { screen, waitFor } from '@testing-library/react'
import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { axeViolations, renderInFluent } from '../../test/render.js'
import { server } from '../../test/setup.js'
import { FluentShareButton } from './FluentShareButton.js'

const target = { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'] }

/** A host that controls the dialog: it follows a request only when `onAsk` says yes. */
function ControlledHost({ onAsk }: { onAsk: (open: boolean) => boolean }) {
  const [open, setOpen] = useState(true)
  return (
    <FluentShareButton
      {...target}
      open={open}
      onOpenChange={(_, data) => {
        if (onAsk(data.open)) setOpen(data.open)
      }}
    />
  )
}

describe('<FluentShareButton>', () => {
  it('opens the form in a dialog labelled by its title, focused on the email field; Esc closes it', async () => {
    server.use(...bffHandlers('emailSent'))
    const onOpenChange = vi.fn()
    const { user } = renderInFluent(<FluentShareButton {...target} onOpenChange={onOpenChange} />)
    const button = screen.getByRole('button', { name: 'Share…' })
    expect(button).toHaveAttribute('aria-haspopup', 'dialog')
    await user.click(button)

    const dialog = await screen.findByRole('dialog', { name: 'Share with an external user' })
    expect(dialog).toHaveAttribute('aria-modal', 'true')
    await waitFor(() => expect(screen.getByLabelText(/^Email address/)).toHaveFocus())
    expect(screen.getByRole('form', { name: 'Share with an external user' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Close' })).toBeInTheDocument()
    expect(await axeViolations(dialog)).toEqual([])

    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    // Focus goes back to the button through Fluent's tabster restorer, which jsdom does not drive: the Dialog story
    // checks it in Chromium.
    expect(onOpenChange.mock.calls.map(([, data]) => [data.type, data.open])).toEqual([
      ['triggerClick', true],
      ['escapeKeyDown', false],
    ])
  })

  it('controlled: only asks through onOpenChange', async () => {
    server.use(...bffHandlers('emailSent'))
    const asked: boolean[] = []
    // The host refuses the first request to close.
    const { user } = renderInFluent(<ControlledHost onAsk={(open) => asked.push(open) > 1} />)
    await screen.findByRole('dialog')
    await user.click(screen.getByRole('button', { name: 'Close' }))
    // The first request is refused by the host: the dialog stays.
    expect(screen.getByRole('dialog')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Close' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(asked).toEqual([false, false])
  })
})
