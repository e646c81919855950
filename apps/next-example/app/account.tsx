'use client'

import { InteractionStatus } from '@azure/msal-browser'
import { AuthenticatedTemplate, UnauthenticatedTemplate, useMsal } from '@azure/msal-react'

// msal-react's templates render nothing until MSAL has started: the server's HTML and the first render agree.
export { AuthenticatedTemplate as SignedIn } from '@azure/msal-react'

export function Account() {
  const { instance, accounts, inProgress } = useMsal()
  return (
    <>
      <UnauthenticatedTemplate>
        <button
          type="button"
          disabled={inProgress !== InteractionStatus.None}
          onClick={() =>
            instance.loginRedirect({ scopes: [process.env.NEXT_PUBLIC_ENTRA_SHARE_BFF_SCOPE ?? ''] })
          }
        >
          Sign in
        </button>
      </UnauthenticatedTemplate>
      <AuthenticatedTemplate>
        <p>Signed in as {(instance.getActiveAccount() ?? accounts[0])?.name}</p>
      </AuthenticatedTemplate>
    </>
  )
}
