import type { ShareError } from '@entra-share/client'
import type { Invitation } from '@entra-share/contracts'
import { act, renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { msalWrapper } from '../../test/render.js'
import { server } from '../../test/setup.js'
import { bffHandlers, type InviteScenario, type RecordedInvite, testBffUrl } from '../testing/bff-handlers.js'
import { createMsalStandIn } from '../testing/msal-stand-in.js'
import { useInvitation } from './useInvitation.js'

const scopes = ['api://bff/Invitations.Send']
const ada = { email: 'ada@fabrikam.example', displayName: 'Ada Lovelace' }

function setup(scenario: InviteScenario, retryAfterSeconds?: number) {
  const seen: RecordedInvite[] = []
  const handlerOptions = { onInvite: (request: RecordedInvite) => seen.push(request) }
  server.use(
    ...bffHandlers(scenario, { ...handlerOptions, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) }),
  )
  const msal = createMsalStandIn()
  const onInvited = vi.fn<(invitation: Invitation) => void>()
  const onError = vi.fn<(error: ShareError) => void>()
  const wrapper = msalWrapper(msal)
  const hook = renderHook(() => useInvitation({ bffUrl: testBffUrl, scopes, onInvited, onError }), {
    wrapper,
  })
  /** Switches the BFF to another scenario, still recording the invitations. */
  const answer = (next: InviteScenario) => server.use(...bffHandlers(next, handlerOptions))
  return { hook, seen, onInvited, onError, answer }
}

describe('useInvitation', () => {
  it('invites, and calls onInvited once with the invitation', async () => {
    const { hook, onInvited, onError } = setup('emailSent')
    expect(hook.result.current).toMatchObject({ status: 'idle', retryInSeconds: 0 })
    let returned: Invitation | null = null
    await act(async () => {
      returned = await hook.result.current.invite(ada)
    })
    expect(hook.result.current.status).toBe('success')
    expect(returned).toBe(hook.result.current.result)
    hook.rerender()
    expect(onInvited).toHaveBeenCalledExactlyOnceWith(hook.result.current.result)
    expect(onError).not.toHaveBeenCalled()
  })

  it('counts the Retry-After wait down to 0, then a retry keeps the Idempotency-Key', async () => {
    const { hook, seen, onInvited, onError, answer } = setup('throttled', 1)
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current).toMatchObject({ status: 'error', retryInSeconds: 1 })
    expect(onError).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ retryAfterSeconds: 1 }))
    await waitFor(() => expect(hook.result.current.retryInSeconds).toBe(0), { timeout: 2000 })

    answer('emailSent')
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current.status).toBe('success')
    expect(seen).toHaveLength(2)
    expect(seen[1]?.idempotencyKey).toBe(seen[0]?.idempotencyKey)
    expect(onInvited).toHaveBeenCalledOnce()
    expect(onError).toHaveBeenCalledOnce()
  })

  it('does not wait after a failure without Retry-After', async () => {
    const { hook, onError } = setup('domain_not_allowed')
    await act(() => hook.result.current.invite(ada))
    expect(hook.result.current).toMatchObject({ status: 'error', retryInSeconds: 0 })
    expect(onError).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ code: 'domain_not_allowed' }))
  })
})
