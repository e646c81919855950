/// <reference lib="dom" />
import { type Configuration, PublicClientApplication } from '@azure/msal-browser'
import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge'
import { MsalProvider, useIsAuthenticated, useMsal } from '@azure/msal-react'
import { createRoot } from 'react-dom/client'
import { ShareWithExternalUser } from '../../src/index.js'
import { MsalEntraShareProvider } from '../../src/msal/index.js'

/**
 * The test page: a host app as the README tells one to write it. A real msal-browser `PublicClientApplication`
 * configured for the emulator (authority, knownAuthorities, authorityMetadata: no discovery call), the redirect
 * handled before rendering (through msal-browser's redirect bridge), `<MsalEntraShareProvider>` as the token seam,
 * and `<ShareWithExternalUser>` talking to the real BFF.
 */

export interface PageConfig {
  clientId: string
  authority: string
  knownAuthorities: string[]
  authorityMetadata: string
  bffUrl: string
  scope: string
  loginHint: string
}

declare global {
  interface Window {
    pageConfig: PageConfig
  }
}

const config = window.pageConfig
const msalConfig: Configuration = {
  auth: {
    clientId: config.clientId,
    authority: config.authority,
    knownAuthorities: config.knownAuthorities,
    authorityMetadata: config.authorityMetadata,
    redirectUri: `${window.location.origin}/`,
  },
  cache: { cacheLocation: 'sessionStorage' },
}
const msal = new PublicClientApplication(msalConfig)

function App() {
  const { instance } = useMsal()
  const signedIn = useIsAuthenticated()
  if (!signedIn)
    return (
      <button
        type="button"
        onClick={() => instance.loginRedirect({ scopes: [config.scope], loginHint: config.loginHint })}
      >
        Sign in
      </button>
    )
  return (
    <>
      <p>Signed in as {instance.getActiveAccount()?.username}</p>
      <ShareWithExternalUser bffUrl={config.bffUrl} scopes={[config.scope]} />
    </>
  )
}

if (/(^|[#?&])(code|error)=/.test(window.location.hash.slice(1) || window.location.search.slice(1))) {
  // msal-browser 5's redirect bridge: the redirect URI page relays an authorization response to the window that
  // asked for it: a popup (the hook's interactive fallback, here for MFA) broadcasts it to its opener and closes;
  // after loginRedirect it navigates back to this page, whose handleRedirectPromise completes the sign-in.
  await broadcastResponseToMainFrame()
} else {
  await msal.initialize()
  const result = await msal.handleRedirectPromise()
  if (result?.account) msal.setActiveAccount(result.account)
  createRoot(document.getElementById('root') as HTMLElement).render(
    <MsalProvider instance={msal}>
      <MsalEntraShareProvider>
        <main>
          <App />
        </main>
      </MsalEntraShareProvider>
    </MsalProvider>,
  )
}
