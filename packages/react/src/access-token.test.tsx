import { ShareError } from '@entra-share/client'
import { bulkTemplateHeaders, bulkTemplateVersionRow } from '@entra-share/contracts'
import { act, render, renderHook, screen, waitFor } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { HttpResponse, http } from 'msw'
import type { ReactNode } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { server } from '../test/setup.js'
import { type AccessTokenRequest, EntraShareTokenProvider, type GetAccessToken } from './access-token.js'
import { BulkInvite } from './BulkInvite/BulkInvite.js'
import { ShareButton } from './ShareButton/ShareButton.js'
import { ShareWithExternalUser } from './ShareWithExternalUser/ShareWithExternalUser.js'
import {
  bffHandlers,
  type RecordedInvite,
  testBffUrl,
  testClaims,
  testConfig,
} from './testing/bff-handlers.js'
import { bulkHandlers, type RecordedBulkCall } from './testing/bulk-handlers.js'
import { useInviteExternalUser } from './useInviteExternalUser.js'

/** Issue 17: any host supplies the BFF token through `getAccessToken`; no MSAL anywhere in these tests. */

const scopes = ['api://bff/Invitations.Send']
const ada = { email: 'ada@fabrikam.example', displayName: 'Ada Lovelace' }

/** A host's token function: a token that carries the claims it was asked for (the claims handler accepts it). */
function hostTokens() {
  return vi.fn<GetAccessToken>(async ({ claims }) =>
    claims ? `host-token;claims=${encodeURIComponent(claims)}` : 'host-token',
  )
}

function record(scenario: Parameters<typeof bffHandlers>[0]) {
  const seen: RecordedInvite[] = []
  server.use(...bffHandlers(scenario, { onInvite: (request) => seen.push(request) }))
  return seen
}

function inviteHook(getAccessToken: GetAccessToken) {
  return renderHook(() => useInviteExternalUser({ bffUrl: testBffUrl, scopes, getAccessToken }))
}

describe('the token seam (issue 17)', () => {
  it('asks getAccessToken for the scopes, interactively, and sends its token', async () => {
    const seen = record('emailSent')
    const getAccessToken = hostTokens()
    const hook = inviteHook(getAccessToken)
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current.status).toBe('success')
    expect(getAccessToken.mock.calls).toEqual([[{ scopes, interactive: true }]])
    expect(seen.map((request) => request.authorization)).toEqual(['Bearer host-token'])
  })

  it('answers a claims challenge by asking again with the claims and interactive: true', async () => {
    const seen = record('claimsChallengeThenSuccess')
    const getAccessToken = hostTokens()
    const hook = inviteHook(getAccessToken)
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current.status).toBe('success')
    expect(getAccessToken.mock.calls).toEqual([
      [{ scopes, interactive: true }],
      [{ scopes, claims: testClaims, interactive: true }],
    ])
    expect(seen[1]?.authorization).toBe(`Bearer host-token;claims=${encodeURIComponent(testClaims)}`)
  })

  it('stops quietly when getAccessToken resolves null', async () => {
    const seen = record('emailSent')
    const hook = inviteHook(async () => null)
    let returned: unknown = 'not called'
    await act(async () => {
      returned = await hook.result.current.invite(ada)
    })
    expect(returned).toBeNull()
    expect(hook.result.current).toMatchObject({ status: 'idle', error: null, result: null })
    expect(seen).toHaveLength(0)
  })

  it('stops quietly when getAccessToken resolves null for the claims challenge', async () => {
    const seen = record('claims_challenge')
    const hook = inviteHook(async ({ claims }) => (claims ? null : 'host-token'))
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current).toMatchObject({ status: 'idle', error: null })
    expect(seen).toHaveLength(1)
  })

  it('shows a thrown error as sign_in_required, with the error as its cause', async () => {
    const seen = record('emailSent')
    const failure = new Error('the OIDC library could not renew the session')
    const hook = inviteHook(async () => {
      throw failure
    })
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current.status).toBe('error')
    expect(hook.result.current.error).toMatchObject({ code: 'sign_in_required', cause: failure })
    expect(seen).toHaveLength(0)
  })

  it('keeps a ShareError thrown by getAccessToken as it is', async () => {
    record('emailSent')
    const busy = new ShareError('interaction_in_progress', 'A sign-in window is open.')
    const hook = inviteHook(async () => {
      throw busy
    })
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current.error).toBe(busy)
  })

  it.each([
    ['an empty string', ''],
    ['undefined', undefined],
  ])('reports sign_in_required when getAccessToken resolves %s', async (_, value) => {
    const seen = record('emailSent')
    const hook = inviteHook(async () => value as unknown as string)
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current.error?.code).toBe('sign_in_required')
    expect(seen).toHaveLength(0)
  })

  it('takes the token from <EntraShareTokenProvider>, and a getAccessToken option wins over it', async () => {
    const seen = record('emailSent')
    const fromProvider = vi.fn<GetAccessToken>(async () => 'provider-token')
    const fromOption = vi.fn<GetAccessToken>(async () => 'option-token')
    const wrapper = ({ children }: { children: ReactNode }) => (
      <EntraShareTokenProvider getAccessToken={fromProvider}>{children}</EntraShareTokenProvider>
    )
    const hook = renderHook(
      () => ({
        provided: useInviteExternalUser({ bffUrl: testBffUrl, scopes }),
        own: useInviteExternalUser({ bffUrl: testBffUrl, scopes, getAccessToken: fromOption }),
      }),
      { wrapper },
    )
    await act(() => hook.result.current.provided.invite(ada))
    await act(() => hook.result.current.own.invite({ email: 'grace@fabrikam.example' }))
    expect(seen.map((request) => request.authorization)).toEqual([
      'Bearer provider-token',
      'Bearer option-token',
    ])
    expect(fromProvider).toHaveBeenCalledOnce()
    expect(fromOption).toHaveBeenCalledOnce()
  })

  it('fails loudly, naming both providers, when no token source is given', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(() => render(<ShareWithExternalUser bffUrl={testBffUrl} scopes={scopes} />)).toThrow(
      /no token source.*<MsalEntraShareProvider>.*<EntraShareTokenProvider getAccessToken/,
    )
    vi.mocked(console.error).mockRestore()
  })

  it('<ShareWithExternalUser> loads its configuration once without interaction, then shares interactively', async () => {
    const seen = record('emailSent')
    const configAuthorizations: (string | null)[] = []
    server.use(
      http.get(`${testBffUrl}/api/config`, ({ request }) => {
        configAuthorizations.push(request.headers.get('Authorization'))
        return HttpResponse.json(testConfig())
      }),
    )
    const requests: AccessTokenRequest[] = []
    // A new function each render, as an inline prop is: it must not load the configuration again.
    const inline = (): GetAccessToken => async (request) => {
      requests.push(request)
      return 'host-token'
    }
    const user = userEvent.setup()
    const view = render(
      <ShareWithExternalUser bffUrl={testBffUrl} scopes={scopes} getAccessToken={inline()} />,
    )
    await screen.findByLabelText('Access')
    view.rerender(<ShareWithExternalUser bffUrl={testBffUrl} scopes={scopes} getAccessToken={inline()} />)
    await user.type(screen.getByLabelText('Email address'), ada.email)
    await user.click(screen.getByRole('button', { name: 'Share' }))
    await screen.findByRole('heading', { name: 'Invitation sent' })
    expect(configAuthorizations).toEqual(['Bearer host-token'])
    expect(requests).toEqual([
      { scopes, interactive: false },
      { scopes, interactive: true },
    ])
    expect(seen.map((request) => request.authorization)).toEqual(['Bearer host-token'])
  })

  it('<ShareButton> hands getAccessToken to its form', async () => {
    const seen = record('emailSent')
    const getAccessToken = hostTokens()
    const user = userEvent.setup()
    render(<ShareButton bffUrl={testBffUrl} scopes={scopes} getAccessToken={getAccessToken} />)
    await user.click(screen.getByRole('button', { name: 'Share…' }))
    await user.type(await screen.findByLabelText('Email address'), ada.email)
    await user.click(screen.getByRole('button', { name: 'Share' }))
    await screen.findByRole('heading', { name: 'Invitation sent' })
    expect(getAccessToken.mock.calls.map(([request]) => request)).toEqual([
      { scopes, interactive: false },
      { scopes, interactive: true },
    ])
    expect(seen.map((request) => request.authorization)).toEqual(['Bearer host-token'])
  })

  it('<BulkInvite> polls without interaction; a null pauses it until Sign in to continue asks interactively', async () => {
    const calls: RecordedBulkCall[] = []
    server.use(
      ...bulkHandlers('runs', { totalRows: 4, failedRows: 0, polls: 2, onCall: (call) => calls.push(call) }),
    )
    let interactiveCalls = 0
    const getAccessToken = vi.fn<GetAccessToken>(async ({ interactive }) => {
      if (interactive) interactiveCalls += 1
      // The session ran out after the upload: background calls get no token until the user signs in again.
      return interactive || interactiveCalls > 1 ? 'host-token' : null
    })
    const user = userEvent.setup()
    render(
      <EntraShareTokenProvider getAccessToken={getAccessToken}>
        <BulkInvite bffUrl={testBffUrl} scopes={scopes} pollIntervalMs={10} />
      </EntraShareTokenProvider>,
    )
    const header = [...bulkTemplateHeaders.portal, ...bulkTemplateHeaders.extended].join(',')
    const file = [bulkTemplateVersionRow, header, 'ada@fabrikam.example,,true,,Ada Lovelace,,'].join('\n')
    await user.upload(screen.getByLabelText('CSV file'), new File([file], 'guests.csv', { type: 'text/csv' }))
    await user.click(await screen.findByRole('button', { name: 'Start inviting' }))
    await user.click(await screen.findByRole('button', { name: 'Sign in to continue' }))
    await screen.findByRole('heading', { name: 'Invitations finished' }, { timeout: 3_000 })
    const asked = getAccessToken.mock.calls.map(([request]) => request)
    expect(asked.slice(0, 3)).toEqual([
      { scopes, interactive: true },
      { scopes, interactive: false },
      { scopes, interactive: true },
    ])
    expect(asked.slice(3).every((request) => request.interactive === false)).toBe(true)
    await waitFor(() => expect(calls.every((call) => call.authorization === 'Bearer host-token')).toBe(true))
  })
})
