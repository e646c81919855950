import { problemCodes } from '@entra-share/contracts'
import { screen, waitFor, within } from '@testing-library/react'
import { createRef } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { axeViolations, renderWithMsal } from '../../test/render.js'
import { server } from '../../test/setup.js'
import {
  type BffHandlersOptions,
  bffHandlers,
  type InviteScenario,
  type RecordedInvite,
  testBffUrl,
  testConfig,
} from '../testing/bff-handlers.js'
import { renderShareWithExternalUser } from './renderShareWithExternalUser.js'
import { ShareWithExternalUser } from './ShareWithExternalUser.js'
import type { ShareWithExternalUserProps } from './ShareWithExternalUser.types.js'
import { defaultShareStrings } from './strings.js'
import { useShareWithExternalUser } from './useShareWithExternalUser.js'

const scopes = ['api://bff/Invitations.Send']

function renderShare(
  scenario: InviteScenario = 'emailSent',
  options: BffHandlersOptions = {},
  props: Partial<Omit<ShareWithExternalUserProps, 'bffUrl' | 'client'>> = {},
) {
  const seen: RecordedInvite[] = []
  server.use(...bffHandlers(scenario, { onInvite: (request) => seen.push(request), ...options }))
  const view = renderWithMsal(<ShareWithExternalUser bffUrl={testBffUrl} scopes={scopes} {...props} />)
  return { ...view, seen }
}

/** The error summary (its sentence is also in the live region, so text queries would find two). */
function findAlert(container: HTMLElement): Promise<HTMLElement> {
  return waitFor(() => {
    const alert = container.querySelector<HTMLElement>('.es-Share__alert')
    if (!alert) throw new Error('no error summary yet')
    return alert
  })
}

async function fillAndShare(user: ReturnType<typeof renderShare>['user'], email = 'ada@fabrikam.example') {
  await user.type(screen.getByLabelText('Email address'), email)
  await user.type(screen.getByLabelText('Name'), 'Ada Lovelace')
  await user.click(screen.getByRole('button', { name: 'Share' }))
}

/** The follow-up step list of the success view: `[data-status, text]` per item. */
function stepLines(): string[][] {
  const list = screen.getByRole('list')
  return within(list)
    .getAllByRole('listitem')
    .map((item) => [item.dataset.status ?? '', item.textContent ?? ''])
}

/** The unstyled variant, composed from the two headless pieces as the README shows. */
function MyShare(props: ShareWithExternalUserProps) {
  return renderShareWithExternalUser(useShareWithExternalUser(props))
}

describe('<ShareWithExternalUser>', () => {
  it('renders the idle form with no axe violations', async () => {
    const { container } = renderShare()
    expect(screen.getByRole('heading', { name: 'Share with an external user' })).toBeInTheDocument()
    expect(screen.getByRole('form', { name: 'Share with an external user' })).toBeInTheDocument()
    expect(container.querySelector('.es-Share')).toHaveAttribute('data-status', 'idle')
    // presets and the message appear once /api/config has answered
    expect(await screen.findByLabelText('Access')).toBeInTheDocument()
    expect(screen.getByLabelText('Personal message (optional)')).toBeInTheDocument()
    expect(await axeViolations(container)).toEqual([])
  })

  it('offers neither presets nor a message when the BFF offers none and emails nobody', async () => {
    const { user, seen } = renderShare('linkToShare', {
      config: testConfig({ presets: [], emailMode: 'none' }),
    })
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument())
    expect(screen.queryByLabelText('Access')).not.toBeInTheDocument()
    expect(screen.queryByLabelText('Personal message (optional)')).not.toBeInTheDocument()
    await fillAndShare(user)
    await screen.findByRole('heading', { name: 'Invitation ready to share' })
    expect(seen[0]?.body).toEqual({ email: 'ada@fabrikam.example', displayName: 'Ada Lovelace' })
  })

  it('sends the chosen preset, the message and the redirect URL', async () => {
    const { user, seen } = renderShare(
      'emailSent',
      {},
      { redirectUrl: 'https://lob.contoso.example/files/1' },
    )
    await user.selectOptions(await screen.findByLabelText('Access'), 'gemini')
    await user.type(screen.getByLabelText('Personal message (optional)'), 'Welcome aboard')
    await fillAndShare(user)
    await screen.findByRole('heading', { name: 'Invitation sent' })
    expect(seen[0]?.body).toEqual({
      email: 'ada@fabrikam.example',
      displayName: 'Ada Lovelace',
      presetId: 'gemini',
      message: 'Welcome aboard',
      redirectUrl: 'https://lob.contoso.example/files/1',
    })
  })

  it("preselects the BFF's default preset, unless defaultValues name one", async () => {
    const config = testConfig({ defaultPresetId: 'apollo' })
    const { unmount } = renderShare('emailSent', { config })
    expect(await screen.findByLabelText('Access')).toHaveValue('apollo')
    unmount()
    renderShare('emailSent', { config }, { defaultValues: { presetId: 'gemini' } })
    expect(await screen.findByLabelText('Access')).toHaveValue('gemini')
  })

  it('validates in the browser with the contracts constants before sending anything', async () => {
    const { user, seen, container } = renderShare()
    await user.click(screen.getByRole('button', { name: 'Share' }))
    const email = screen.getByLabelText('Email address')
    expect(email).toHaveAttribute('aria-invalid', 'true')
    expect(email).toHaveAccessibleDescription(expect.stringContaining('Enter an email address.'))
    expect(email).toHaveFocus()
    expect(await findAlert(container)).toHaveTextContent('Check the highlighted fields.')

    await user.type(email, 'ada@fabrikam')
    expect(email).toHaveAccessibleDescription(
      expect.stringContaining('Enter an email address like name@example.com.'),
    )
    await user.type(email, '.example')
    expect(email).not.toHaveAttribute('aria-invalid')

    await user.click(screen.getByLabelText('Name'))
    await user.paste('x'.repeat(257))
    await user.click(screen.getByRole('button', { name: 'Share' }))
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(
      expect.stringContaining('Use at most 256 characters.'),
    )
    expect(seen).toHaveLength(0)
  })

  it('shows the submitting state: button disabled and aria-busy', async () => {
    const { user, container } = renderShare('pending')
    await fillAndShare(user)
    const button = await screen.findByRole('button', { name: 'Sharing…' })
    expect(button).toBeDisabled()
    expect(button).toHaveAttribute('aria-busy', 'true')
    expect(container.querySelector('.es-Share')).toHaveAttribute('data-status', 'submitting')
  })

  it('shows success when Microsoft emailed the guest, focuses the heading and announces it', async () => {
    const onInvited = vi.fn()
    const { user, container } = renderShare('emailSent', {}, { onInvited })
    await fillAndShare(user)
    const heading = await screen.findByRole('heading', { name: 'Invitation sent' })
    await waitFor(() => expect(heading).toHaveFocus())
    expect(screen.getByText('Microsoft emailed an invitation to ada@fabrikam.example.')).toBeInTheDocument()
    expect(screen.getByText(/^https:\/\/login\.microsoftonline\.com\/redeem/)).toBeInTheDocument()
    expect(screen.getByText('b3c0e2a4-5d6f-4a1b-9c8d-0123456789ab')).toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent('Invitation sent.')
    expect(onInvited).toHaveBeenCalledOnce()
    expect(await axeViolations(container)).toEqual([])
  })

  it('shows success with a link to share when nobody was emailed', async () => {
    const { user } = renderShare('linkToShare')
    await fillAndShare(user)
    await screen.findByRole('heading', { name: 'Invitation ready to share' })
    expect(
      screen.getByText('No email was sent: send this link to ada@fabrikam.example yourself.'),
    ).toBeInTheDocument()
  })

  it('says when some access is still being set up', async () => {
    const { user } = renderShare('partial')
    await fillAndShare(user)
    expect(await screen.findByText(defaultShareStrings.successPartial)).toBeInTheDocument()
    // no preset was chosen, so the pending group step says "a group"
    expect(stepLines()).toEqual([
      ['pending', `Still to do: add to a group — ${defaultShareStrings.errors.graph_throttled}`],
    ])
  })

  it('lists the follow-up steps of a completed invitation in words, one line for all groups of the preset', async () => {
    const { user, container } = renderShare('emailSent', {
      invitation: {
        steps: [
          { name: 'invite', status: 'succeeded', attempts: 1 },
          { name: 'addToGroup', target: 'group-1', status: 'succeeded', attempts: 1 },
          { name: 'addToGroup', target: 'group-2', status: 'succeeded', attempts: 1 },
          { name: 'assignLicense', target: 'sku-1', status: 'succeeded', attempts: 1 },
          { name: 'assignAppRole', target: 'role-1', status: 'succeeded', attempts: 1 },
        ],
      },
    })
    await user.selectOptions(await screen.findByLabelText('Access'), 'apollo')
    await fillAndShare(user)
    await screen.findByRole('heading', { name: 'Invitation sent' })
    expect(stepLines()).toEqual([
      ['succeeded', 'Added to Project Apollo'],
      ['succeeded', 'Licence assigned'],
      ['succeeded', 'App access granted'],
    ])
    expect(screen.queryByText(defaultShareStrings.successPartial)).not.toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent(
      /^Invitation sent\. Microsoft emailed an invitation to ada@fabrikam\.example\.$/,
    )
    expect(await axeViolations(container)).toEqual([])
  })

  it('says which steps are still to do and why, and announces how many: a licence with no free units', async () => {
    const { user, container } = renderShare('partial', {
      invitation: {
        steps: [
          { name: 'invite', status: 'succeeded', attempts: 1 },
          { name: 'updateAttributes', status: 'succeeded', attempts: 1 },
          { name: 'addToGroup', target: 'group-1', status: 'succeeded', attempts: 1 },
          { name: 'addToGroup', target: 'group-2', status: 'pending', attempts: 2, code: 'graph_throttled' },
          {
            name: 'assignLicense',
            target: 'sku-1',
            status: 'pending',
            attempts: 2,
            code: 'license_unavailable',
            detail: 'SPE_E3 has no free units.',
          },
          { name: 'assignAppRole', target: 'role-1', status: 'pending', attempts: 0 },
        ],
      },
    })
    await user.selectOptions(await screen.findByLabelText('Access'), 'gemini')
    await fillAndShare(user)
    await screen.findByRole('heading', { name: 'Invitation sent' })
    const { errors } = defaultShareStrings
    expect(stepLines()).toEqual([
      ['succeeded', 'Name and location set'],
      // one of the preset's two groups is still pending, so the preset is not done
      ['pending', `Still to do: add to Project Gemini — ${errors.graph_throttled}`],
      ['pending', `Still to do: assign a licence — ${errors.license_unavailable}`],
      ['pending', 'Still to do: grant app access — It will be retried automatically.'],
    ])
    expect(screen.getByRole('status')).toHaveTextContent(/ Steps still to do: 3\.$/)
    expect(container.querySelector('.es-Share__steps')?.tagName).toBe('UL')
    expect(await axeViolations(container)).toEqual([])
  })

  it('says a failed step will not be retried, and names no preset the BFF did not offer', async () => {
    const { user } = renderShare('partial', {
      config: null,
      invitation: {
        presetId: 'apollo',
        steps: [
          { name: 'invite', status: 'succeeded', attempts: 1 },
          { name: 'addToGroup', target: 'group-1', status: 'succeeded', attempts: 1 },
          { name: 'assignLicense', target: 'sku-1', status: 'failed', attempts: 5 },
          // a later licence that succeeded does not make the line say done
          { name: 'assignLicense', target: 'sku-2', status: 'succeeded', attempts: 1 },
          { name: 'assignAppRole', target: 'role-1', status: 'pending', attempts: 1, code: 'not_a_code' },
        ],
      },
    })
    await fillAndShare(user)
    await screen.findByRole('heading', { name: 'Invitation sent' })
    expect(stepLines()).toEqual([
      ['succeeded', 'Added to a group'],
      ['failed', 'Still to do: assign a licence — It will not be retried. Contact your administrator.'],
      ['pending', 'Still to do: grant app access — It will be retried automatically.'],
    ])
  })

  it('takes the follow-up texts from the strings prop', async () => {
    const { user } = renderShare(
      'partial',
      {
        invitation: {
          steps: [
            { name: 'invite', status: 'succeeded', attempts: 1 },
            { name: 'addToGroup', target: 'group-1', status: 'succeeded', attempts: 1 },
            { name: 'assignLicense', status: 'pending', attempts: 1, code: 'license_unavailable' },
          ],
        },
      },
      {
        strings: {
          addToGroupDone: 'Ajouté à {preset}',
          assignLicenseToDo: 'attribuer une licence',
          stepToDo: 'Reste à faire : {step} ({reason})',
          successStepsToDo: 'Étapes restantes : {count}.',
          errors: { license_unavailable: 'aucune licence libre' },
        },
      },
    )
    await user.selectOptions(await screen.findByLabelText('Access'), 'apollo')
    await fillAndShare(user)
    await screen.findByRole('heading', { name: 'Invitation sent' })
    expect(stepLines()).toEqual([
      ['succeeded', 'Ajouté à Project Apollo'],
      ['pending', 'Reste à faire : attribuer une licence (aucune licence libre)'],
    ])
    expect(screen.getByRole('status')).toHaveTextContent(/ Étapes restantes : 1\.$/)
  })

  it('copies the redeem link and says so', async () => {
    const { user } = renderShare('emailSent')
    await fillAndShare(user)
    await user.click(await screen.findByRole('button', { name: 'Copy link' }))
    expect(await screen.findByRole('button', { name: 'Link copied' })).toBeInTheDocument()
    expect(await navigator.clipboard.readText()).toMatch(/^https:\/\/login\.microsoftonline\.com\/redeem/)
  })

  it('falls back to execCommand when the Clipboard API is refused', async () => {
    const { user } = renderShare('emailSent')
    await fillAndShare(user)
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('denied'))
    const execCommand = vi.fn(() => true)
    Object.assign(document, { execCommand })
    await user.click(await screen.findByRole('button', { name: 'Copy link' }))
    expect(await screen.findByRole('button', { name: 'Link copied' })).toBeInTheDocument()
    expect(execCommand).toHaveBeenCalledWith('copy')
  })

  it('goes back to an empty form for the next guest', async () => {
    const { user } = renderShare('emailSent')
    await fillAndShare(user)
    await user.click(await screen.findByRole('button', { name: 'Share with someone else' }))
    expect(screen.getByLabelText('Email address')).toHaveValue('')
  })

  it.each(problemCodes.filter((code) => code !== 'claims_challenge'))(
    'explains %s with its sentence',
    async (code) => {
      const onError = vi.fn()
      const { user, container } = renderShare(code, { retryAfterSeconds: 30 }, { onError })
      await fillAndShare(user)
      const alert = await findAlert(container)
      expect(alert).toHaveAttribute('data-code', code)
      expect(alert).toHaveTextContent(defaultShareStrings.errors[code])
      expect(alert).toHaveTextContent(`Reference: req-${code}`)
      // focus moves in an effect after the failure is painted
      await waitFor(() => expect(alert).toHaveFocus())
      expect(screen.getByRole('status')).toHaveTextContent(defaultShareStrings.errors[code])
      expect(container.querySelector('.es-Share')).toHaveAttribute('data-status', 'error')
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code }))
    },
  )

  it('explains a claims challenge that the new token did not satisfy', async () => {
    const { user, seen, container } = renderShare('claims_challenge')
    await fillAndShare(user)
    expect(await findAlert(container)).toHaveTextContent(defaultShareStrings.errors.claims_challenge)
    expect(seen).toHaveLength(2)
  })

  it('succeeds after a claims challenge without the user doing anything', async () => {
    const { user, seen } = renderShare('claimsChallengeThenSuccess')
    await fillAndShare(user)
    await screen.findByRole('heading', { name: 'Invitation sent' })
    expect(seen[1]?.authorization).toContain('claims=')
  })

  it('shows server field errors inline on their field, and clears them on edit', async () => {
    const { user, container } = renderShare('invalid_request')
    await fillAndShare(user)
    const email = screen.getByLabelText('Email address')
    await waitFor(() => expect(email).toHaveAttribute('aria-invalid', 'true'))
    expect(email).toHaveAccessibleDescription(expect.stringContaining('email must be a valid address.'))
    expect(await axeViolations(container)).toEqual([])
    await user.type(email, 'm')
    expect(email).not.toHaveAttribute('aria-invalid')
  })

  it('puts a domain refusal on the email field', async () => {
    const { user } = renderShare('domain_not_allowed')
    await fillAndShare(user)
    const email = screen.getByLabelText('Email address')
    await waitFor(() => expect(email).toHaveAttribute('aria-invalid', 'true'))
    expect(email).toHaveAccessibleDescription(
      expect.stringContaining(defaultShareStrings.errors.domain_not_allowed),
    )
  })

  it('says under the message that links are not allowed, and puts a links refusal on the message field', async () => {
    const { user, seen } = renderShare('message_links_not_allowed')
    const message = await screen.findByLabelText('Personal message (optional)')
    expect(message).toHaveAccessibleDescription(defaultShareStrings.messageHintNoLinks)
    await user.type(message, 'Sign in at evil.example/login')
    await fillAndShare(user)
    await waitFor(() => expect(message).toHaveAttribute('aria-invalid', 'true'))
    expect(message).toHaveAccessibleDescription(
      expect.stringContaining(defaultShareStrings.errors.message_links_not_allowed),
    )
    expect(seen[0]?.body.message).toBe('Sign in at evil.example/login')
  })

  it('names the allowed origins under an allowlist link policy, and says nothing when any link may go', async () => {
    const limits = testConfig().limits
    const allowlist = renderShare('emailSent', {
      config: testConfig({ limits: { ...limits, messageLinks: 'allowlist' } }),
    })
    expect(await screen.findByLabelText('Personal message (optional)')).toHaveAccessibleDescription(
      'Links may only go to https://lob.contoso.example.',
    )
    allowlist.unmount()
    renderShare('emailSent', { config: testConfig({ limits: { ...limits, messageLinks: 'any' } }) })
    expect(await screen.findByLabelText('Personal message (optional)')).not.toHaveAttribute(
      'aria-describedby',
    )
  })

  it('links to the consent page when an administrator must consent', async () => {
    const { user } = renderShare('consent_required')
    await fillAndShare(user)
    expect(await screen.findByRole('link', { name: 'Open the consent page' })).toHaveAttribute(
      'href',
      'https://login.microsoftonline.com/tenant-0001/adminconsent',
    )
  })

  it('counts down before a retry when throttled, then lets the user try again with the same key', async () => {
    const { user, seen } = renderShare('throttled', { retryAfterSeconds: 2 })
    await fillAndShare(user)
    const waiting = await screen.findByRole('button', { name: 'Try again in 2 s' })
    expect(waiting).toBeDisabled()
    expect(waiting).toHaveAttribute('data-waiting')
    await screen.findByRole('button', { name: 'Try again in 1 s' }, { timeout: 1500 })
    const retry = await screen.findByRole('button', { name: 'Try again' }, { timeout: 1500 })
    expect(retry).toBeEnabled()
    server.use(...bffHandlers('emailSent', { onInvite: (request) => seen.push(request) }))
    await user.click(retry)
    await screen.findByRole('heading', { name: 'Invitation sent' })
    expect(seen[1]?.idempotencyKey).toBe(seen[0]?.idempotencyKey)
  })

  it('returns quietly to the form when the user closes the sign-in popup', async () => {
    const seen: RecordedInvite[] = []
    server.use(...bffHandlers('emailSent', { onInvite: (request) => seen.push(request) }))
    const { user, container } = renderWithMsal(
      <ShareWithExternalUser bffUrl={testBffUrl} scopes={scopes} />,
      {
        silent: ['interaction_required'],
        popup: ['user_cancelled'],
      },
    )
    await fillAndShare(user)
    await waitFor(() => expect(container.querySelector('.es-Share')).toHaveAttribute('data-status', 'idle'))
    expect(screen.getByRole('button', { name: 'Share' })).toBeEnabled()
    expect(container.querySelector('.es-Share__alert')).toBeNull()
    expect(seen).toHaveLength(0)
  })

  it('is not wedged by another interaction in progress', async () => {
    server.use(...bffHandlers('emailSent'))
    const { user, container } = renderWithMsal(
      <ShareWithExternalUser bffUrl={testBffUrl} scopes={scopes} />,
      {
        silent: ['token', 'interaction_in_progress', 'token'],
      },
    )
    await screen.findByLabelText('Access')
    await fillAndShare(user)
    expect(await findAlert(container)).toHaveTextContent(defaultShareStrings.errors.interaction_in_progress)
    expect(container.querySelector('.es-Share')).toHaveAttribute('data-status', 'error')
    await user.click(screen.getByRole('button', { name: 'Try again' }))
    await screen.findByRole('heading', { name: 'Invitation sent' })
  })

  it('takes every string from the strings prop, merged onto the defaults', async () => {
    const { user, container } = renderShare(
      'rate_limited',
      {},
      {
        strings: {
          title: 'Inviter un invité',
          emailLabel: 'Adresse e-mail',
          errors: { rate_limited: 'Trop vite.' },
        },
      },
    )
    expect(screen.getByRole('heading', { name: 'Inviter un invité' })).toBeInTheDocument()
    await user.type(screen.getByLabelText('Adresse e-mail'), 'ada@fabrikam.example')
    await user.click(screen.getByRole('button', { name: 'Share' }))
    expect(await findAlert(container)).toHaveTextContent('Trop vite.')
  })

  it('renders right to left', async () => {
    server.use(...bffHandlers())
    const { container } = renderWithMsal(
      <div dir="rtl" lang="he">
        <ShareWithExternalUser
          bffUrl={testBffUrl}
          scopes={scopes}
          strings={{ title: 'שיתוף עם משתמש חיצוני' }}
        />
      </div>,
    )
    const root = container.querySelector('.es-Share')
    expect(root?.closest('[dir]')).toHaveAttribute('dir', 'rtl')
    expect(
      within(root as HTMLElement).getByRole('heading', { name: 'שיתוף עם משתמש חיצוני' }),
    ).toBeInTheDocument()
    await screen.findByLabelText('Access')
    expect(await axeViolations(container)).toEqual([])
  })

  it('forwards its ref to the root element, through the success view too', async () => {
    const ref = createRef<HTMLDivElement>()
    const { user, container } = renderShare('emailSent', {}, { ref })
    expect(ref.current).toBe(container.querySelector('.es-Share'))
    await fillAndShare(user)
    await screen.findByRole('heading', { name: 'Invitation sent' })
    expect(ref.current).toBe(container.querySelector('.es-Share'))
    expect(ref.current).toHaveAttribute('data-status', 'success')
  })

  it('passes ref through the headless pieces, and calls a callback ref', () => {
    const ref = vi.fn()
    server.use(...bffHandlers())
    const { container } = renderWithMsal(<MyShare bffUrl={testBffUrl} scopes={scopes} ref={ref} />)
    expect(ref).toHaveBeenLastCalledWith(container.querySelector('.es-Share'))
  })
})
