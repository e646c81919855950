import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { axeViolations, renderWithMsal } from '../../test/render.js'
import { server } from '../../test/setup.js'
import { bffHandlers, testBffUrl } from '../testing/bff-handlers.js'
import { ShareButton } from './ShareButton.js'

const scopes = ['api://bff/Invitations.Send']

function renderButton() {
  server.use(...bffHandlers())
  return renderWithMsal(<ShareButton bffUrl={testBffUrl} scopes={scopes} />)
}

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
    expect(await screen.findByRole('heading', { name: 'Invitation sent' })).toHaveFocus()
  })
})
