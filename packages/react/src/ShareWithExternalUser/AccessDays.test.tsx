import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { axeViolations, renderWithMsal } from '../../test/render.js'
import { server } from '../../test/setup.js'
import { bffHandlers, type RecordedInvite, testBffUrl, testConfig } from '../testing/bff-handlers.js'
import { ShareWithExternalUser } from './ShareWithExternalUser.js'

const scopes = ['api://bff/Invitations.Send']

/** A preset without an end, and one that grants 90 days at most. */
const config = testConfig({
  presets: [
    { id: 'apollo', label: 'Project Apollo', groupCount: 1 },
    { id: 'apollo-90', label: 'Project Apollo (90 days)', groupCount: 1, accessDays: 90 },
  ],
  defaultPresetId: 'apollo',
})

function renderShare() {
  const seen: RecordedInvite[] = []
  server.use(...bffHandlers('emailSent', { config, onInvite: (request) => seen.push(request) }))
  const view = renderWithMsal(<ShareWithExternalUser bffUrl={testBffUrl} scopes={scopes} />)
  return { ...view, seen }
}

describe('<ShareWithExternalUser> days of access (issue 13)', () => {
  it("offers the field only for a preset with an access term, up to the preset's days", async () => {
    const { user, container } = renderShare()
    const access = await screen.findByLabelText('Access')
    await waitFor(() => expect(access).toHaveValue('apollo'))
    expect(screen.queryByLabelText('Access for (days)')).toBeNull()
    await user.selectOptions(access, 'apollo-90')
    const days = screen.getByLabelText('Access for (days)')
    expect(days).toHaveAttribute('type', 'number')
    expect(days).toHaveAttribute('min', '1')
    expect(days).toHaveAttribute('max', '90')
    expect(days).toHaveValue(null)
    expect(days).toHaveAccessibleDescription('Up to 90 days; leave empty for 90.')
    expect(await axeViolations(container)).toEqual([])
    await user.selectOptions(access, '')
    expect(screen.queryByLabelText('Access for (days)')).toBeNull()
  })

  it('sends the days as a number when filled, and none when left empty', async () => {
    const { user, seen } = renderShare()
    await user.selectOptions(await screen.findByLabelText('Access'), 'apollo-90')
    await user.type(screen.getByLabelText('Email address'), 'ada@fabrikam.example')
    await user.type(screen.getByLabelText('Access for (days)'), '30')
    await user.click(screen.getByRole('button', { name: 'Share' }))
    await screen.findByRole('heading', { name: 'Invitation sent' })
    expect(seen.map((request) => request.body)).toEqual([
      { email: 'ada@fabrikam.example', presetId: 'apollo-90', accessDays: 30 },
    ])

    // The next guest: the field is empty again, and an empty field sends no days (the preset's apply).
    await user.click(screen.getByRole('button', { name: 'Share with someone else' }))
    expect(screen.getByLabelText('Access for (days)')).toHaveValue(null)
    await user.type(screen.getByLabelText('Email address'), 'grace@fabrikam.example')
    await user.click(screen.getByRole('button', { name: 'Share' }))
    await screen.findByRole('heading', { name: 'Invitation sent' })
    expect(seen.at(-1)?.body).toEqual({ email: 'grace@fabrikam.example', presetId: 'apollo-90' })
  })

  it('refuses more days than the preset grants on the field, focused, and sends nothing', async () => {
    const { user, seen } = renderShare()
    await user.selectOptions(await screen.findByLabelText('Access'), 'apollo-90')
    await user.type(screen.getByLabelText('Email address'), 'ada@fabrikam.example')
    const days = screen.getByLabelText('Access for (days)')
    await user.type(days, '120')
    await user.click(screen.getByRole('button', { name: 'Share' }))
    expect(days).toHaveFocus()
    expect(days).toHaveAttribute('aria-invalid', 'true')
    expect(days).toHaveAccessibleDescription(
      'Up to 90 days; leave empty for 90. Enter a whole number from 1 to 90, or leave it empty.',
    )
    expect(seen).toEqual([])
    // Fixed, the message goes as the field is edited.
    await user.clear(days)
    await user.type(days, '90')
    expect(days).not.toHaveAttribute('aria-invalid')
  })
})
