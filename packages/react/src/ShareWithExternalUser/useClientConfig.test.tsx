import type { ClientConfig } from '@entra-share/contracts'
import { renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { msalWrapper } from '../../test/render.js'
import { server } from '../../test/setup.js'
import { type BffHandlersOptions, bffHandlers, testBffUrl, testConfig } from '../testing/bff-handlers.js'
import { createMsalStandIn, type MsalStandInOptions } from '../testing/msal-stand-in.js'
import { useClientConfig } from './useClientConfig.js'

const scopes = ['api://bff/Invitations.Send']

function setup(handlers: BffHandlersOptions = {}, msalOptions: MsalStandInOptions = {}) {
  server.use(...bffHandlers('emailSent', handlers))
  const msal = createMsalStandIn(msalOptions)
  const onLoaded = vi.fn<(config: ClientConfig) => void>()
  const wrapper = msalWrapper(msal)
  const hook = renderHook(() => useClientConfig({ bffUrl: testBffUrl, scopes, onLoaded }), { wrapper })
  return { msal, hook, onLoaded }
}

describe('useClientConfig', () => {
  it('loads the configuration with a silent token, once, and tells onLoaded', async () => {
    const { msal, hook, onLoaded } = setup({ config: testConfig({ defaultPresetId: 'gemini' }) })
    expect(hook.result.current).toBeNull()
    await waitFor(() => expect(hook.result.current?.defaultPresetId).toBe('gemini'))
    expect(onLoaded).toHaveBeenCalledOnce()
    expect(onLoaded).toHaveBeenCalledWith(hook.result.current)
    hook.rerender()
    expect(msal.calls).toEqual([{ method: 'acquireTokenSilent', scopes, claims: undefined }])
  })

  it('stays null, and never asks the user to sign in, when no token comes silently', async () => {
    const { msal, hook, onLoaded } = setup({}, { silent: ['interaction_required'] })
    await waitFor(() => expect(msal.calls).toHaveLength(1))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(hook.result.current).toBeNull()
    expect(onLoaded).not.toHaveBeenCalled()
    expect(msal.calls.map((call) => call.method)).toEqual(['acquireTokenSilent'])
  })

  it('stays null when the BFF fails', async () => {
    const { hook, onLoaded } = setup({ config: null })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(hook.result.current).toBeNull()
    expect(onLoaded).not.toHaveBeenCalled()
  })
})
