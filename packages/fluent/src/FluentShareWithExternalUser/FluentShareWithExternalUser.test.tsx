import { de } from '@entra-share/react/locales/de'
import {
  bffHandlers,
  type RecordedInvite,
  testBffUrl,
  testConfig,
  testInvitation,
} from '@entra-share/react/testing'
import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { axeViolations, renderInFluent, testToken } from '../../test/render.js'
import { server } from '../../test/setup.js'
import { FluentShareWithExternalUser } from './FluentShareWithExternalUser.js'

const target = { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'] }

describe('<FluentShareWithExternalUser>', () => {
  it('shares through the BFF and shows the redeem link, the object id and the follow-up steps', async () => {
    const invites: RecordedInvite[] = []
    server.use(
      ...bffHandlers('partial', {
        onInvite: (invite) => invites.push(invite),
        invitation: {
          steps: [
            { name: 'invite', status: 'succeeded', attempts: 1 },
            { name: 'addToGroup', target: 'group-1', status: 'succeeded', attempts: 1 },
            { name: 'assignLicense', status: 'pending', attempts: 1, code: 'license_unavailable' },
          ],
        },
      }),
    )
    const { user, container } = renderInFluent(<FluentShareWithExternalUser {...target} />)
    // The BFF offers presets: the Access dropdown appears once the configuration has loaded.
    await user.click(await screen.findByRole('combobox', { name: 'Access' }))
    await user.click(await screen.findByRole('option', { name: 'Project Apollo' }))
    // Pasted, not typed key by key: the same change events, in a fraction of the time.
    await user.click(screen.getByLabelText(/^Email address/))
    await user.paste('ada@fabrikam.example')
    await user.click(screen.getByLabelText('Name'))
    await user.paste('Ada Lovelace')
    await user.click(screen.getByLabelText('Personal message (optional)'))
    await user.paste('Welcome aboard.')
    await user.click(screen.getByRole('button', { name: 'Share' }))

    const heading = await screen.findByRole('heading', { name: 'Invitation sent' })
    await waitFor(() => expect(heading).toHaveFocus())
    expect(invites).toHaveLength(1)
    expect(invites[0]?.authorization).toBe(`Bearer ${testToken}`)
    expect(invites[0]?.idempotencyKey).toBeTruthy()
    expect(invites[0]?.body).toEqual({
      email: 'ada@fabrikam.example',
      displayName: 'Ada Lovelace',
      presetId: 'apollo',
      message: 'Welcome aboard.',
    })
    expect(screen.getByText('Microsoft emailed an invitation to ada@fabrikam.example.')).toBeVisible()
    expect(screen.getByText('Some access is still being set up and will finish shortly.')).toBeVisible()
    expect(screen.getByText(testInvitation().inviteRedeemUrl)).toBeVisible()
    expect(screen.getByText(testInvitation().invitedUserId)).toBeVisible()
    expect(screen.getAllByRole('listitem').map((item) => [item.dataset.status, item.textContent])).toEqual([
      ['succeeded', '✓Added to Project Apollo'],
      [
        'pending',
        '○Still to do: assign a licence — The guest was invited, but no licence is free to assign to them yet. Your administrator has been told to add licences.',
      ],
    ])
    expect(screen.getByRole('status')).toHaveTextContent(
      'Invitation sent. Microsoft emailed an invitation to ada@fabrikam.example. Steps still to do: 1.',
    )
    expect(container.querySelector('.es-FluentShare')).toHaveAttribute('data-status', 'success')
    expect(await axeViolations(container)).toEqual([])

    await user.click(screen.getByRole('button', { name: 'Share with someone else' }))
    expect(screen.getByLabelText(/^Email address/)).toHaveValue('')
  })

  it('checks the fields before sending: the error is on the field, which takes focus', async () => {
    const invites: RecordedInvite[] = []
    server.use(...bffHandlers('emailSent', { onInvite: (invite) => invites.push(invite) }))
    const { user, container } = renderInFluent(<FluentShareWithExternalUser {...target} />)
    await screen.findByRole('combobox', { name: 'Access' })
    await user.click(screen.getByRole('button', { name: 'Share' }))

    const email = screen.getByLabelText(/^Email address/)
    expect(email).toHaveAttribute('aria-invalid', 'true')
    expect(email).toHaveAccessibleDescription('Enter an email address. For example ada@fabrikam.com')
    expect(email).toHaveFocus()
    const alert = container.querySelector('.es-FluentShare__alert') as HTMLElement
    expect(alert).toHaveTextContent('Check the highlighted fields.')
    expect(screen.getByRole('status')).toHaveTextContent('Check the highlighted fields.')
    expect(invites).toEqual([])
    expect(await axeViolations(container)).toEqual([])
  })

  it('shows a problem answer as its catalogued sentence, focused, with the request id and the field marked', async () => {
    server.use(...bffHandlers('domain_not_allowed'))
    const { user, container } = renderInFluent(
      <FluentShareWithExternalUser {...target} defaultValues={{ email: 'ada@blocked.example' }} />,
    )
    await screen.findByRole('combobox', { name: 'Access' })
    await user.click(screen.getByRole('button', { name: 'Share' }))

    const alert = await waitFor(() => {
      const found = container.querySelector<HTMLElement>('.es-FluentShare__alert')
      if (!found) throw new Error('no error summary yet')
      return found
    })
    expect(alert).toHaveAttribute('data-code', 'domain_not_allowed')
    expect(within(alert).getByText('The invitation was not sent')).toBeVisible()
    expect(alert).toHaveTextContent('Invitations to this email domain are not allowed.')
    expect(alert).toHaveTextContent('Reference: req-domain_not_allowed')
    await waitFor(() => expect(alert).toHaveFocus())
    const email = screen.getByLabelText(/^Email address/)
    expect(email).toHaveAttribute('aria-invalid', 'true')
    expect(email).toHaveAccessibleDescription(
      expect.stringContaining('Invitations to this email domain are not allowed.'),
    )
    expect(container.querySelector('.es-FluentShare')).toHaveAttribute('data-status', 'error')
  })

  it('asks for the days of access only for a preset with an access term, and sends them as a number (issue 13)', async () => {
    const invites: RecordedInvite[] = []
    const config = testConfig({
      presets: [
        { id: 'apollo', label: 'Project Apollo', groupCount: 1 },
        { id: 'apollo-90', label: 'Project Apollo (90 days)', groupCount: 1, accessDays: 90 },
      ],
    })
    server.use(...bffHandlers('emailSent', { config, onInvite: (invite) => invites.push(invite) }))
    const { user, container } = renderInFluent(<FluentShareWithExternalUser {...target} />)
    await user.click(await screen.findByRole('combobox', { name: 'Access' }))
    await user.click(await screen.findByRole('option', { name: 'Project Apollo' }))
    expect(screen.queryByRole('spinbutton', { name: 'Access for (days)' })).toBeNull()
    await user.click(screen.getByRole('combobox', { name: 'Access' }))
    await user.click(await screen.findByRole('option', { name: 'Project Apollo (90 days)' }))
    const days = screen.getByRole('spinbutton', { name: 'Access for (days)' })
    expect(days).toHaveAttribute('max', '90')
    expect(days).toHaveAccessibleDescription('Up to 90 days; leave empty for 90.')
    expect(await axeViolations(container)).toEqual([])

    // Out of range: refused on the field, which takes focus, and nothing is sent.
    await user.click(screen.getByLabelText(/^Email address/))
    await user.paste('ada@fabrikam.example')
    await user.type(days, '91')
    await user.click(screen.getByRole('button', { name: 'Share' }))
    expect(days).toHaveAttribute('aria-invalid', 'true')
    expect(days).toHaveAccessibleDescription(
      'Enter a whole number from 1 to 90, or leave it empty. Up to 90 days; leave empty for 90.',
    )
    expect(days).toHaveFocus()
    expect(invites).toEqual([])

    await user.clear(days)
    await user.type(days, '45')
    await user.click(screen.getByRole('button', { name: 'Share' }))
    await screen.findByRole('heading', { name: 'Invitation sent' })
    expect(invites.map((invite) => invite.body)).toEqual([
      { email: 'ada@fabrikam.example', presetId: 'apollo-90', accessDays: 45 },
    ])
  })

  it('speaks the language of the locale prop', async () => {
    server.use(...bffHandlers('emailSent'))
    const { container } = renderInFluent(<FluentShareWithExternalUser {...target} locale="de" />, {
      packs: [de],
    })
    expect(screen.getByRole('button', { name: de.share.submit })).toBeInTheDocument()
    expect(screen.getByLabelText(new RegExp(`^${de.share.emailLabel}`))).toBeInTheDocument()
    expect(container.querySelector('.es-FluentShare')).toHaveAttribute('lang', 'de')
  })
})
