import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { axeViolations, renderWithMsal } from '../../test/render.js'
import { server } from '../../test/setup.js'
import { bffHandlers, type RecordedInvite, testBffUrl, testConfig } from '../testing/bff-handlers.js'
import { ShareWithExternalUser } from './ShareWithExternalUser.js'

const scopes = ['api://bff/Invitations.Send']

/** The BFF offers a plain preset and one that needs an approval with a reason and grants 90 days. */
const config = testConfig({
  presets: [
    { id: 'apollo', label: 'Project Apollo', groupCount: 1 },
    {
      id: 'apollo-reviewed',
      label: 'Project Apollo (reviewed)',
      groupCount: 1,
      approvalRequired: true,
      reasonRequired: true,
      accessDays: 90,
    },
  ],
  defaultPresetId: 'apollo',
})

function renderPending(offered = config) {
  const seen: RecordedInvite[] = []
  const onInvited = vi.fn()
  const onPendingApproval = vi.fn()
  server.use(
    ...bffHandlers('pendingApproval', { config: offered, onInvite: (request) => seen.push(request) }),
  )
  const view = renderWithMsal(
    <ShareWithExternalUser
      bffUrl={testBffUrl}
      scopes={scopes}
      onInvited={onInvited}
      onPendingApproval={onPendingApproval}
    />,
  )
  return { ...view, seen, onInvited, onPendingApproval }
}

describe('<ShareWithExternalUser> with a preset that needs an approval (issue 13)', () => {
  it('says what the chosen preset asks for and asks for the reason only then', async () => {
    const { user } = renderPending()
    const access = await screen.findByLabelText('Access')
    await waitFor(() => expect(access).toHaveValue('apollo'))
    expect(screen.queryByLabelText('Reason for access')).toBeNull()
    await user.selectOptions(access, 'apollo-reviewed')
    expect(access).toHaveAccessibleDescription(
      'An approver decides before the invitation is sent. Access ends after 90 days.',
    )
    const reason = screen.getByLabelText('Reason for access')
    expect(reason).toHaveAttribute('aria-required', 'true')
    expect(reason).toHaveAccessibleDescription('The approvers read this before they decide.')
  })

  it('refuses to send without the reason the preset requires, and focuses the field', async () => {
    const { user, seen } = renderPending()
    await user.selectOptions(await screen.findByLabelText('Access'), 'apollo-reviewed')
    await user.type(screen.getByLabelText('Email address'), 'ada@fabrikam.example')
    await user.click(screen.getByRole('button', { name: 'Share' }))
    const reason = screen.getByLabelText('Reason for access')
    expect(reason).toHaveFocus()
    expect(reason).toHaveAccessibleDescription(
      'The approvers read this before they decide. Say why this person needs access.',
    )
    expect(seen).toEqual([])
  })

  it('sends the reason, shows who decides and until when, announces it, and reports onPendingApproval', async () => {
    const { user, seen, onInvited, onPendingApproval, container } = renderPending()
    await user.selectOptions(await screen.findByLabelText('Access'), 'apollo-reviewed')
    await user.type(screen.getByLabelText('Email address'), 'ada@fabrikam.example')
    await user.type(screen.getByLabelText('Reason for access'), 'Reviews the supplier contracts.')
    await user.click(screen.getByRole('button', { name: 'Share' }))

    const heading = await screen.findByRole('heading', { name: 'Waiting for approval' })
    await waitFor(() => expect(heading).toHaveFocus())
    expect(seen.map((request) => request.body)).toEqual([
      {
        email: 'ada@fabrikam.example',
        presetId: 'apollo-reviewed',
        reason: 'Reviews the supplier contracts.',
      },
    ])
    expect(container.querySelector('.es-Share')).toHaveAttribute('data-status', 'pending_approval')
    const details = [...container.querySelectorAll('dt, dd')].map((element) => element.textContent)
    expect(details).toEqual([
      'Who decides',
      'Invitations.Admin',
      'Decision needed by',
      'March 7, 2026',
      'Your reason',
      'Reviews the supplier contracts.',
    ])
    // no success and no link: nobody was invited yet
    expect(screen.queryByText('Invitation link')).toBeNull()
    expect(screen.getByRole('status')).toHaveTextContent(
      'Waiting for approval. Nothing was sent to ada@fabrikam.example yet: the invitation goes out once an approver approves it.',
    )
    expect(onPendingApproval).toHaveBeenCalledOnce()
    expect(onPendingApproval.mock.calls[0]?.[0]).toMatchObject({
      status: 'pending_approval',
      inviteRedeemUrl: null,
    })
    expect(onInvited).not.toHaveBeenCalled()
    expect(await axeViolations(container)).toEqual([])

    await user.click(screen.getByRole('button', { name: 'Share with someone else' }))
    expect(screen.getByLabelText('Email address')).toHaveValue('')
    expect(screen.getByLabelText('Reason for access')).toHaveValue('')
    expect(screen.getByLabelText('Access')).toHaveValue('apollo-reviewed')
  })

  it("names the approvers in the policy's own words when the preset has them", async () => {
    const labelled = testConfig({
      presets: [
        {
          ...(config.presets[1] as (typeof config.presets)[number]),
          approversLabel: 'Project Apollo owners',
        },
      ],
      defaultPresetId: 'apollo-reviewed',
    })
    const { user, container } = renderPending(labelled)
    await user.type(await screen.findByLabelText('Email address'), 'ada@fabrikam.example')
    await user.type(screen.getByLabelText('Reason for access'), 'Reviews the supplier contracts.')
    await user.click(screen.getByRole('button', { name: 'Share' }))
    await screen.findByRole('heading', { name: 'Waiting for approval' })
    const details = [...container.querySelectorAll('dt, dd')].map((element) => element.textContent)
    expect(details.slice(0, 2)).toEqual(['Who decides', 'Project Apollo owners'])
  })
})
