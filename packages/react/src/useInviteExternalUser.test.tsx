import { act, renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { msalWrapper } from '../test/render.js'
import { server } from '../test/setup.js'
import { bffHandlers, type RecordedInvite, testBffUrl, testClaims } from './testing/bff-handlers.js'
import { createMsalStandIn, type MsalStandInOptions } from './testing/msal-stand-in.js'
import { useInviteExternalUser } from './useInviteExternalUser.js'

const scopes = ['api://bff/Invitations.Send']
const ada = { email: 'ada@fabrikam.example', displayName: 'Ada Lovelace' }

function setup(msalOptions: MsalStandInOptions = {}) {
  const msal = createMsalStandIn(msalOptions)
  const wrapper = msalWrapper(msal)
  const hook = renderHook(() => useInviteExternalUser({ bffUrl: testBffUrl, scopes }), { wrapper })
  return { msal, hook }
}

function record(scenario: Parameters<typeof bffHandlers>[0]) {
  const seen: RecordedInvite[] = []
  server.use(...bffHandlers(scenario, { onInvite: (request) => seen.push(request) }))
  return seen
}

describe('useInviteExternalUser', () => {
  it('gets a token silently for the active account and reports success', async () => {
    const seen = record('emailSent')
    const { msal, hook } = setup()
    expect(hook.result.current.status).toBe('idle')
    let returned: unknown
    await act(async () => {
      returned = await hook.result.current.invite(ada)
    })
    expect(hook.result.current).toMatchObject({ status: 'success', error: null })
    expect(hook.result.current.result?.invitedUserEmailAddress).toBe(ada.email)
    expect(returned).toBe(hook.result.current.result)
    expect(msal.calls).toEqual([{ method: 'acquireTokenSilent', scopes, claims: undefined }])
    expect(seen[0]?.authorization).toBe('Bearer stand-in-token')
    expect(seen[0]?.idempotencyKey).toMatch(/^[\x21-\x7E]{8,128}$/)
    act(() => hook.result.current.reset())
    expect(hook.result.current.status).toBe('idle')
  })

  it('is submitting while the request runs', async () => {
    server.use(...bffHandlers('emailSent', { delayMs: 100 }))
    const { hook } = setup()
    let pending: Promise<unknown> = Promise.resolve()
    act(() => {
      pending = hook.result.current.invite(ada)
    })
    expect(hook.result.current.status).toBe('submitting')
    await act(() => pending)
    expect(hook.result.current.status).toBe('success')
  })

  it('reuses the Idempotency-Key when the same submission is retried, and not for another', async () => {
    const seen = record('upstream_unavailable')
    const { hook } = setup()
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current.error?.code).toBe('upstream_unavailable')
    await act(() => hook.result.current.invite(ada))
    await act(() => hook.result.current.invite({ ...ada, displayName: 'Ada King' }))
    expect(seen).toHaveLength(3)
    expect(seen[1]?.idempotencyKey).toBe(seen[0]?.idempotencyKey)
    expect(seen[2]?.idempotencyKey).not.toBe(seen[0]?.idempotencyKey)
  })

  it('answers a claims challenge with a token acquired with the claims and retries once by itself', async () => {
    const seen = record('claimsChallengeThenSuccess')
    const { msal, hook } = setup()
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current.status).toBe('success')
    expect(seen).toHaveLength(2)
    expect(seen[0]?.authorization).toBe('Bearer stand-in-token')
    expect(seen[1]?.authorization).toBe(`Bearer stand-in-token;claims=${encodeURIComponent(testClaims)}`)
    expect(seen[1]?.idempotencyKey).toBe(seen[0]?.idempotencyKey)
    expect(msal.calls[1]).toEqual({ method: 'acquireTokenSilent', scopes, claims: testClaims })
  })

  it('retries a claims challenge only once', async () => {
    const seen = record('claims_challenge')
    const { hook } = setup()
    await act(() => hook.result.current.invite(ada))
    expect(seen).toHaveLength(2)
    expect(hook.result.current.error?.code).toBe('claims_challenge')
  })

  it('falls back to a popup when interaction is required', async () => {
    const seen = record('emailSent')
    const { msal, hook } = setup({ silent: ['interaction_required'] })
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current.status).toBe('success')
    expect(msal.calls.map((call) => call.method)).toEqual(['acquireTokenSilent', 'acquireTokenPopup'])
    expect(seen).toHaveLength(1)
  })

  it.each(['popup_window_error', 'empty_window_error'] as const)(
    'redirects when the popup is blocked (%s)',
    async (code) => {
      const seen = record('emailSent')
      const { msal, hook } = setup({ silent: ['interaction_required'], popup: [code] })
      await act(() => hook.result.current.invite(ada))
      expect(msal.calls.map((call) => call.method)).toEqual([
        'acquireTokenSilent',
        'acquireTokenPopup',
        'acquireTokenRedirect',
      ])
      expect(hook.result.current).toMatchObject({ status: 'idle', error: null })
      expect(seen).toHaveLength(0)
    },
  )

  it('returns quietly to idle when the user closes the sign-in popup', async () => {
    const seen = record('emailSent')
    const { hook } = setup({ silent: ['interaction_required'], popup: ['user_cancelled'] })
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current).toMatchObject({ status: 'idle', error: null, result: null })
    expect(seen).toHaveLength(0)
  })

  it('surfaces interaction_in_progress as a retryable error and recovers on the next attempt', async () => {
    record('emailSent')
    const { hook } = setup({ silent: ['interaction_in_progress', 'token'] })
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current.status).toBe('error')
    expect(hook.result.current.error).toMatchObject({ code: 'interaction_in_progress', retryable: true })
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current.status).toBe('success')
  })

  it('reports sign_in_required when nobody is signed in', async () => {
    const { hook } = setup({ account: null })
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current.error?.code).toBe('sign_in_required')
  })

  it('ignores a second submission while one is running', async () => {
    const seen = record('emailSent')
    const { hook } = setup()
    await act(async () => {
      const first = hook.result.current.invite(ada)
      expect(await hook.result.current.invite(ada)).toBeNull()
      await first
    })
    await waitFor(() => expect(hook.result.current.status).toBe('success'))
    expect(seen).toHaveLength(1)
  })

  it('fails loudly without bffUrl or client', () => {
    const wrapper = msalWrapper(createMsalStandIn())
    // @ts-expect-error: the misuse under test
    expect(() => renderHook(() => useInviteExternalUser({ scopes }), { wrapper })).toThrow(/pass `bffUrl`/)
  })
})
