'use client'

import { BrowserUtils, EventType, InteractionType, PublicClientApplication } from '@azure/msal-browser'
import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge'
import { MsalProvider } from '@azure/msal-react'
import { MsalEntraShareProvider } from '@entra-share/react/msal'
import type { ReactNode } from 'react'

// One instance per page (on the server, one per process: MsalProvider renders it in `startup`, signed out).
const msal = new PublicClientApplication({
  auth: {
    clientId: process.env.NEXT_PUBLIC_ENTRA_SHARE_SPA_CLIENT_ID ?? '',
    authority: process.env.NEXT_PUBLIC_ENTRA_SHARE_AUTHORITY ?? '',
    // Set for a local emulator only: Entra ID needs neither.
    knownAuthorities: process.env.NEXT_PUBLIC_ENTRA_SHARE_KNOWN_AUTHORITIES?.split(',') ?? [],
    authorityMetadata: process.env.NEXT_PUBLIC_ENTRA_SHARE_AUTHORITY_METADATA ?? '',
    redirectUri: '/', // the SPA redirect URI: the site's root
  },
  cache: { cacheLocation: 'sessionStorage' },
})
msal.addEventCallback((event) => {
  if (event.eventType === EventType.LOGIN_SUCCESS && event.payload && 'account' in event.payload) {
    if (event.payload.account) msal.setActiveAccount(event.payload.account)
  }
})

// msal-browser 5's redirect bridge, before React hydrates: a popup's response (the share dialog's sign-in prompt,
// MFA) goes to the window that opened it. A loginRedirect's response is MsalProvider's (handleRedirectPromise).
if (
  typeof window !== 'undefined' &&
  /(^|[#?&])(code|error)=/.test(location.hash.slice(1) || location.search.slice(1))
) {
  try {
    const { libraryState } = BrowserUtils.parseAuthResponseFromUrl()
    if (libraryState.meta.interactionType !== InteractionType.Redirect) void broadcastResponseToMainFrame()
  } catch {
    // not MSAL's response
  }
}

export function Providers({ children }: { children: ReactNode }) {
  return (
    <MsalProvider instance={msal}>
      {/* the token seam: every entra-share component below takes its BFF tokens from msal-react */}
      <MsalEntraShareProvider>{children}</MsalEntraShareProvider>
    </MsalProvider>
  )
}
