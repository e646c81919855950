// @vitest-environment node

import { existsSync } from 'node:fs'
import { MsalProvider } from '@azure/msal-react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'

const built = new URL('../dist/index.js', import.meta.url)

describe('server-side import', () => {
  it('imports without a window and renders the idle form to a string', async () => {
    expect(typeof window).toBe('undefined')
    const { ShareWithExternalUser, ShareButton } = await import('../src/index.js')
    const { MsalEntraShareProvider } = await import('../src/msal/index.js')
    const { createMsalStandIn, testBffUrl } = await import('../src/testing/index.js')
    const html = renderToString(
      <MsalProvider instance={createMsalStandIn()}>
        <MsalEntraShareProvider>
          <ShareWithExternalUser bffUrl={testBffUrl} scopes={['api://bff/Invitations.Send']} />
          <ShareButton bffUrl={testBffUrl} scopes={['api://bff/Invitations.Send']} />
        </MsalEntraShareProvider>
      </MsalProvider>,
    )
    expect(html).toContain('class="es-Share"')
    expect(html).toContain('data-status="idle"')
    expect(html).toContain('es-ShareButton')
  })

  // `pnpm test` builds first (turbo); a bare `vitest run` before any build reports this one as skipped.
  it.skipIf(!existsSync(built))('imports the built bundle without a window', async () => {
    const module = await import(/* @vite-ignore */ built.href)
    expect(typeof module.ShareWithExternalUser).toBe('function')
  })
})
