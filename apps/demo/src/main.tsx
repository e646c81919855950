import { EventType, PublicClientApplication } from '@azure/msal-browser'
import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge'
import { MsalProvider } from '@azure/msal-react'
import { MsalEntraShareProvider } from '@entra-share/react/msal'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.js'
import { settings } from './settings.js'
import './demo.css'

/** An authorization response in the URL: this page is the redirect URI answering a sign-in. */
const isAuthorizationResponse = /(^|[#?&])(code|error)=/.test(
  window.location.hash.slice(1) || window.location.search.slice(1),
)

if (isAuthorizationResponse) {
  // msal-browser 5's redirect bridge relays the response to the window that asked for it: a popup (the share
  // component's interactive fallback, e.g. for MFA) hands it to its opener and closes; after loginRedirect it
  // navigates back here, where handleRedirectPromise completes the sign-in.
  await broadcastResponseToMainFrame()
} else {
  await start()
}

async function start() {
  const msal = new PublicClientApplication({
    auth: {
      clientId: settings.clientId,
      authority: settings.authority,
      knownAuthorities: settings.knownAuthorities,
      ...(settings.authorityMetadata ? { authorityMetadata: settings.authorityMetadata } : {}),
      redirectUri: window.location.origin,
    },
    cache: { cacheLocation: 'sessionStorage' },
  })

  await msal.initialize()
  const redirect = await msal.handleRedirectPromise()
  const account = redirect?.account ?? msal.getAllAccounts()[0]
  if (account) msal.setActiveAccount(account)
  msal.addEventCallback((event) => {
    if (event.eventType === EventType.LOGIN_SUCCESS && event.payload && 'account' in event.payload) {
      if (event.payload.account) msal.setActiveAccount(event.payload.account)
    }
  })

  const root = document.getElementById('root')
  if (!root) throw new Error('index.html has no #root element')
  createRoot(root).render(
    <StrictMode>
      <MsalProvider instance={msal}>
        {/* The share button and the bulk section take their BFF tokens from msal-react. */}
        <MsalEntraShareProvider>
          <App />
        </MsalEntraShareProvider>
      </MsalProvider>
    </StrictMode>,
  )
}
