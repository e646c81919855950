import { useMsal } from '@azure/msal-react'
import { useEffect, useState } from 'react'
import { settings } from './settings.js'

const scopes = [settings.bffScope]

/**
 * The app roles in a BFF access token (its `roles` claim): Entra puts the roles assigned to the user on the BFF's
 * app registration there, not in the SPA's ID token. Read only to decide what the page shows; the BFF checks the
 * token's signature and roles on every call.
 */
export function rolesOf(accessToken: string): string[] {
  try {
    const payload = accessToken.split('.')[1] ?? ''
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'))
    const bytes = Uint8Array.from(json, (char) => char.charCodeAt(0))
    const { roles } = JSON.parse(new TextDecoder().decode(bytes)) as { roles?: unknown }
    return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : []
  } catch {
    return []
  }
}

/** The signed-in user's app roles on the BFF: `null` until the token is read, `[]` when it cannot be. */
export function useBffRoles(): string[] | null {
  const { instance } = useMsal()
  // getActiveAccount() gives a new object on every call: key the effect on the account's id.
  const accountId = instance.getActiveAccount()?.homeAccountId
  const [roles, setRoles] = useState<string[] | null>(null)
  useEffect(() => {
    const account = accountId ? instance.getAccount({ homeAccountId: accountId }) : null
    if (!account) return
    let cancelled = false
    instance.acquireTokenSilent({ scopes, account }).then(
      ({ accessToken }) => !cancelled && setRoles(rolesOf(accessToken)),
      // The project page asks for an interactive sign-in when one is needed; until then, no admin section.
      () => !cancelled && setRoles([]),
    )
    return () => {
      cancelled = true
    }
  }, [instance, accountId])
  return roles
}
