import { EventType, PublicClientApplication } from '@azure/msal-browser'
import { MsalProvider } from '@azure/msal-react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.js'
import { settings } from './settings.js'
import './demo.css'

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
  if (event.eventType === EventType.LOGIN_SUCCESS && event.payload && "account" in event.payload && event.payload.account)
    msal.setActiveAccount(event.payload.account)
})

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <MsalProvider instance={msal}>
      <App />
    </MsalProvider>
  </StrictMode>,
)
