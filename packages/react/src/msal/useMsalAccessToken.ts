import { InteractionRequiredAuthError, type IPublicClientApplication } from '@azure/msal-browser'
import { useMsal } from '@azure/msal-react'
import { ShareError } from '@entra-share/client'
import { useMemo } from 'react'
import type { AccessTokenRequest, GetAccessToken } from '../access-token.js'

// MSAL names these errors by `errorCode`; comparing codes works across msal-browser majors and bundle copies.
const popupBlockedCodes = new Set(['popup_window_error', 'empty_window_error'])

function errorCode(error: unknown): string | undefined {
  return (error as { errorCode?: string } | null)?.errorCode
}

function isInteractionRequired(error: unknown): boolean {
  return (
    error instanceof InteractionRequiredAuthError ||
    (error as { name?: string } | null)?.name === 'InteractionRequiredAuthError'
  )
}

function msalToShareError(error: unknown): ShareError | null {
  const code = errorCode(error)
  if (code === 'user_cancelled') return null
  if (code === 'interaction_in_progress')
    return new ShareError('interaction_in_progress', 'Another MSAL interaction is in progress.', {
      cause: error,
    })
  return new ShareError('sign_in_required', 'A token for the BFF could not be acquired.', { cause: error })
}

async function interactive(
  instance: IPublicClientApplication,
  request: Parameters<IPublicClientApplication['acquireTokenPopup']>[0],
): Promise<string | null> {
  try {
    return (await instance.acquireTokenPopup(request)).accessToken
  } catch (error) {
    if (!popupBlockedCodes.has(errorCode(error) ?? '')) {
      const shareError = msalToShareError(error)
      if (shareError) throw shareError
      return null
    }
  }
  // The popup was blocked: a redirect always works, at the price of leaving the page.
  try {
    await instance.acquireTokenRedirect(request)
    return null
  } catch (error) {
    const shareError = msalToShareError(error)
    if (shareError) throw shareError
    return null
  }
}

/** The msal-browser side of the seam, for one `PublicClientApplication`. */
function msalAccessToken(instance: IPublicClientApplication): GetAccessToken {
  return async ({ scopes, claims, interactive: mayInteract }: AccessTokenRequest) => {
    const account = instance.getActiveAccount() ?? instance.getAllAccounts()[0]
    if (!account) throw new ShareError('sign_in_required', 'No account is signed in with MSAL.')
    const request = { scopes, account, ...(claims ? { claims } : {}) }
    try {
      return (await instance.acquireTokenSilent(request)).accessToken
    } catch (error) {
      if (!isInteractionRequired(error) || !mayInteract) {
        const shareError = msalToShareError(error)
        if (shareError) throw shareError
        return null
      }
    }
    return interactive(instance, request)
  }
}

/**
 * The token seam for msal-react: silently for the active account (else the first signed-in one), then, when the
 * request is `interactive`, through a popup, or a redirect when the popup is blocked. A closed popup resolves `null`;
 * failures are `ShareError` `sign_in_required` or `interaction_in_progress`. Render inside msal-react's
 * `MsalProvider`; `<MsalEntraShareProvider>` hands it to every component below.
 *
 * @example
 * const getAccessToken = useMsalAccessToken()
 * <ShareButton getAccessToken={getAccessToken} bffUrl="https://lob.contoso.com" scopes={scopes} />
 */
export function useMsalAccessToken(): GetAccessToken {
  const { instance } = useMsal()
  return useMemo(() => msalAccessToken(instance), [instance])
}
